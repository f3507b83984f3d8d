"""The screens: one module per screen, each only *defining* its page function(s).

Nothing here runs at import. ``app.py`` passes the functions to ``st.navigation`` for the
signed-in role (``navigation.py``), so a file in this folder that Streamlit runs on its own
shows nothing at all. ``tests/test_layout.py`` checks that every module keeps to this.
"""
