"""HTTP routes: the admin API (sessions, exports, organisations, follow-up) and the pages that use it."""
