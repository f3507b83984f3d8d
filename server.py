"""Datalek's server: Streamlit's app (``app.py``) plus the routes and middleware of ``web/``.

Start it with ``streamlit run server.py`` (``make run`` does): Streamlit finds the ``st.App``
below and serves it. ``app.py`` stays the script every browser session runs. While it runs,
the reminder scheduler sends the reminders of the notification period (``web/background.py``;
``DATALEK_REMINDERS=off`` switches it off).
"""

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from web.background import lifespan
from web.guard import Guard
from web.routes import routes

# Until a process's first ``st.navigation`` call, Streamlit takes the ``pages/`` folder next to
# ``app.py`` for its legacy multipage app: the very first script run then looks the address up
# among the files of ``pages/`` ("/aanvullen" is none of them), shows its English "Page not
# found" dialog and only then runs ``app.py``. ``app.py`` runs too late to prevent that, so the
# process says here, before any session, that ``app.py``'s ``st.navigation`` chooses the pages.
PagesManager.uses_pages_directory = False

app = st.App("app.py", routes=routes(), middleware=[Middleware(Guard)], lifespan=lifespan)
