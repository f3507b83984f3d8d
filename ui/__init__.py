"""Streamlit helpers shared by the pages: sessions, navigation, form widgets.

Only presentation lives here; every rule and every permission check is in ``datalek``.
"""
