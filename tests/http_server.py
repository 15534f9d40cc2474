"""A local HTTP server that plays a leaderboard: queued replies per path, recorded requests."""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass, field

# Where the server listens. Fetches refuse loopback addresses unless the host is allowed
# (CLAIMSDB_FETCH_ALLOWED_HOSTS), so tests that use this server allow it.
LOCAL_SERVER_HOST = "127.0.0.1"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Claim more bytes than are sent, then close: a truncated body.
    truncate: bool = False
    # Seconds between the body's bytes: a server that drips its reply.
    drip: float = 0.0


class LeaderboardServer:
    """Serves a queue of replies per path; the last reply repeats. Records request headers."""

    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                queue = server.replies.get(self.path) or [Reply(status=404)]
                reply = queue.pop(0) if len(queue) > 1 else queue[0]
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                length = len(reply.body) * 2 if reply.truncate else len(reply.body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if reply.drip:
                    for index in range(len(reply.body)):
                        try:
                            self.wfile.write(reply.body[index : index + 1])
                            self.wfile.flush()
                        except OSError:  # the client gave up
                            return
                        time.sleep(reply.drip)
                    return
                self.wfile.write(
                    reply.body[: len(reply.body) // 2] if reply.truncate else reply.body
                )
                if reply.truncate:
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer((LOCAL_SERVER_HOST, 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://{LOCAL_SERVER_HOST}:{self.httpd.server_address[1]}{path}"

    def serve(self, path: str, *replies: Reply) -> str:
        self.replies[path] = list(replies)
        return self.url(path)
