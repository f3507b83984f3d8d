"""Datalek's server: Streamlit's app (``app.py``) plus the routes and middleware of ``web/``.

Start it with ``streamlit run server.py`` (``make run`` does): Streamlit finds the ``st.App``
below and serves it. ``app.py`` stays the script every browser session runs. While it runs,
the reminder scheduler sends the reminders of the notification period (``web/background.py``;
``DATALEK_REMINDERS=off`` switches it off).
"""

import streamlit as st
from starlette.middleware import Middleware

from web.background import lifespan
from web.guard import Guard
from web.routes import routes

app = st.App("app.py", routes=routes(), middleware=[Middleware(Guard)], lifespan=lifespan)
