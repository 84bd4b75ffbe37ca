/**
 * How the project runs Chromium headless (bench:client and the browser tests): Debian's build,
 * no sandbox (containers), no background traffic, software WebGL for Phaser.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Software WebGL: headless Chromium without a GPU needs it for Phaser's WebGL renderer.
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
];
