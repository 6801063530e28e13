"""``vigil serve``: the web app."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    reload: bool = typer.Option(False, help="Restart when the code changes (development)."),
) -> None:
    """Serve Vigil's pages and JSON API."""
    import uvicorn

    uvicorn.run("vigil.web.app:serving_app", factory=True, host=host, port=port, reload=reload,
                proxy_headers=True)
