"""Server-rendered pages of the gateway: citizens, officers, statistics, SIPP.

They work without JavaScript, speak Indonesian by default (English on request),
and call the same RPCs as the JSON API. See docs/web.md."""
