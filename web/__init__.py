"""The HTTP side next to Streamlit, served by ``server.py``: sign-in and sign-out routes that
set the HttpOnly session cookie, downloads behind the session, and the security headers.

Layering: ``server.py`` -> ``web`` -> ``datalek``; nothing here imports the screens
(``app.py``, ``navigation``, ``pages``, ``ui``) and the core never imports this package.
"""
