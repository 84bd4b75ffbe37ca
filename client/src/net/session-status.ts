/** The connection states a seat's screen can be in (kept apart from the socket code so models can use it). */
export type Status = 'connecting' | 'online' | 'offline' | 'restarting' | 'refused' | 'removed';
