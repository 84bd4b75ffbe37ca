/**
 * Reads ALLOWED_ORIGINS: browser origins, comma-separated, allowed to open sockets besides the
 * server's own. Each entry is normalised to the form a browser sends in its Origin header
 * (scheme, lower-case host, port only when not the default), so "https://Example.org/" matches;
 * an entry that can never match an Origin header is refused by name instead of ignored.
 */
export function parseAllowedOrigins(text: string | undefined): string[] {
  const out: string[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(
        `ALLOWED_ORIGINS: "${entry}" is not an origin (expected e.g. https://wargame.example.org)`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`ALLOWED_ORIGINS: "${entry}" must start with http:// or https://`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash)
      throw new Error(
        `ALLOWED_ORIGINS: "${entry}" must be only a scheme, host and port (no path, query or user), e.g. ${url.origin}`,
      );
    out.push(url.origin);
  }
  return out;
}
