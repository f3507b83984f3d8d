"""Datalek's server: Streamlit's app (``app.py``) plus the routes and middleware of ``web/``.

Start it with ``streamlit run server.py`` (``make run`` does): Streamlit finds the ``st.App``
below and serves it. ``app.py`` stays the script every browser session runs.
"""

import streamlit as st
from starlette.middleware import Middleware

from web.guard import Guard
from web.routes import routes

app = st.App("app.py", routes=routes(), middleware=[Middleware(Guard)])
