"""Small server-rendered pages (the sign-in form, refusals). Every text that did not come
from this module is escaped; the pages carry no script at all."""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse

#: These pages have no script, no image, no frame: the strictest policy fits.
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

_STYLE = """
body { font-family: system-ui, sans-serif; background: #f6f7f9; color: #1f2328; margin: 0; }
main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px;
       box-shadow: 0 1px 3px rgba(0,0,0,.15); }
h1 { font-size: 1.5rem; margin-top: 0; }
label { display: block; font-weight: 600; margin-top: 1rem; }
input[type=email], input[type=password] { width: 100%; box-sizing: border-box; padding: .6rem;
       font-size: 1rem; border: 1px solid #8c959f; border-radius: 6px; margin-top: .3rem; }
input:focus, button:focus, a:focus { outline: 3px solid #0969da; outline-offset: 2px; }
button { margin-top: 1.5rem; padding: .6rem 1.2rem; font-size: 1rem; border: 0; border-radius: 6px;
       background: #cf222e; color: #fff; cursor: pointer; }
.error { color: #a40e26; font-weight: 600; margin-top: .4rem; }
.notice { background: #ddf4ff; padding: .8rem; border-radius: 6px; }
.hint { color: #57606a; font-size: .9rem; margin-top: 1.5rem; }
"""


def text(value: object) -> str:
    return escape(str(value), quote=True)


def page(title: str, body: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    """A whole Dutch page around ``body`` (HTML that the caller escaped)."""
    document = (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)} - Datalek</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
    return HTMLResponse(
        document, status_code=status, headers={"Content-Security-Policy": PAGE_CSP, **(headers or {})}
    )


def message_page(title: str, message: str, status: int, link: tuple[str, str] | None = None) -> HTMLResponse:
    """A page with one message (and a link onwards), e.g. for a refused download."""
    onwards = f'<p><a href="{text(link[0])}">{text(link[1])}</a></p>' if link else ""
    return page(title, f"<h1>{text(title)}</h1><p>{text(message)}</p>{onwards}", status)
