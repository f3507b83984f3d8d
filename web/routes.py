"""Every route Datalek adds next to Streamlit's own."""

from __future__ import annotations

from starlette.routing import Route

from web import downloads, report_links, signin


def routes() -> list[Route]:
    return [
        Route(signin.SIGNIN_PATH, signin.signin_form, methods=["GET"]),
        Route(signin.SIGNIN_PATH, signin.signin, methods=["POST"]),
        Route("/auth/signout", signin.signout, methods=["POST"]),
        Route("/auth/activate", signin.activate, methods=["GET"]),
        Route(report_links.report_links.REPORT_PATH, report_links.report, methods=["GET"]),
        Route(report_links.report_links.FOLLOW_UP_PATH, report_links.follow_up, methods=["GET"]),
        Route("/download/{token}", downloads.download, methods=["GET"]),
    ]
