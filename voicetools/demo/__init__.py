"""A demo backend (stdlib HTTP server) for the example agents: `voicetools demo-server`."""
