"""Overzicht: the management dashboard. Figures come protected from ``datalek.insight.stats``;
this page only chooses the selection and draws. No rows, no names, no free text."""

import streamlit as st

from datalek import store
from datalek.accounts.downloads import Download
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import Action, OrgSelection, PermissionDenied
from datalek.insight import annual_report, charts, disclosure, stats
from ui import downloads, session
from ui.forms import md_escape

AS_OF = {"open", "measures_open", "measures_overdue"}  # figures of a moment, not of a year
#: The key figures on top: the organisation's totals first, then breakdowns and times.
KEY_FIGURES = [
    "total", "breach", "not_breach", "duplicate",
    "undecided", "notified", "notified_share", "within72_share",
    "notified_late", "withdrawn", "informed", "people",
    "notify_median", "decision_median", "inform_median", "late_report",
    "minors", "special", "bsn", "youth_file",
    "processor", "repeat", "open", "bad_time",
    "measures_open", "measures_overdue", "measures_on_time", "preventive_done",
    "proc_delay_median", "proc_told_share", "proc_told_late", "chain",
]  # fmt: skip
#: The charts side by side after the month chart, and the tables under them (``stats.SERIES``).
PAIRS = [
    ("funnel", "outcome"),
    ("notify_time", "late_reason"),
    ("type", "data"),
    ("parts", "risk"),
    ("nature", "people"),
]
TABLES = [
    "month",
    "funnel",
    "outcome",
    "parts",
    "type",
    "data",
    "nature",
    "risk",
    "people",
    "notify_bucket",
    "late_reason",
    "processor",
]
#: "All organisations" and "all departments" as a choice. Not None: Streamlit shows a keyed
#: selectbox whose value is None as empty, with its English placeholder "Choose an option".
ALL_ORGS = 0
ALL_DEPARTMENTS = ""
REPORT_LINKS = {
    "html": "Download verantwoording (HTML)",
    "docx": "Download verantwoording (Word)",
    "xlsx": "Download alle cijfers (Excel)",
}


def render() -> None:
    actor = session.actor()
    st.title("Overzicht", anchor=False)
    try:
        with store.unit() as db:
            orgs = {o.id: o.name for o in list_organisations(db, actor) if o.id in actor.org_ids}
            first, second, third, fourth = st.columns(4)
            choices = ([ALL_ORGS] if len(orgs) > 1 else []) + list(orgs)
            org_id = first.selectbox(
                "Organisatie",
                choices,
                key="ov_org",
                format_func={ALL_ORGS: "Alle organisaties", **orgs}.get,
                filter_mode=None,
                placeholder="Kies een organisatie",
            )
            org_id = None if org_id == ALL_ORGS else org_id
            years = stats.available_years(db, actor, org_id)
            if not years:
                st.info("Er zijn nog geen meldingen.")
                st.stop()
            year = second.selectbox(
                "Jaar", years, key="ov_year", filter_mode=None, placeholder="Kies een jaar"
            )
            compare = fourth.toggle("Vergelijk met het jaar ervoor", value=True, key="ov_compare")
            board = stats.dashboard(db, actor, year, org_id)
            options = [ALL_DEPARTMENTS, *board.departments]
            department = third.selectbox(
                "Afdeling",
                options,
                key="ov_dept",
                format_func={d: d or "Alle afdelingen" for d in options}.get,
                filter_mode=None if len(options) <= 10 else "contains",
                placeholder="Kies een afdeling",
                help="Kies eerst een organisatie: een afdeling hoort bij één organisatie."
                if org_id is None and len(orgs) > 1
                else None,
            )
            if department:
                board = stats.dashboard(db, actor, year, org_id, department)
    except PermissionDenied as exc:
        st.error(exc.message)
        st.stop()
    now, before = board.current, board.previous if compare else None
    st.caption(disclosure.explanation(now.limit))
    codes = KEY_FIGURES
    for row in range(0, len(codes), 4):
        for column, code in zip(st.columns(4), codes[row : row + 4], strict=False):
            figure = now.figures[code]
            delta = None
            comparable = code not in AS_OF  # "open now" against last year's end says nothing
            if (
                comparable
                and before is not None
                and isinstance(figure.value, int)
                and isinstance(before.value(code), int)
            ):
                delta = figure.value - before.value(code)
            column.metric(figure.label, figure.shown, delta=delta, delta_color="off")
    if before is None and compare:
        st.caption(f"Voor {year - 1} zijn er voor deze keuze geen cijfers te tonen.")
    figures = charts.dashboard_figures(now.series, year, before.series if before else None)
    parts = stats.chart_of_parts(now.series)  # per department, or per organisation for all
    draw = {"width": "stretch", "config": charts.CONFIG}
    st.plotly_chart(figures.pop("month"), key="ch_month", **draw)
    for left_code, right_code in PAIRS:
        left, right = st.columns(2)
        for column, code in ((left, left_code), (right, right_code)):
            code = parts if code == "parts" else code
            column.plotly_chart(figures[code], key=f"ch_{code}", **draw)
    st.plotly_chart(figures["processor"], key="ch_processor", **draw)  # names can be long: full width
    with st.expander("De cijfers achter de grafieken, als tabellen (ook voor schermlezers)"):
        for code in (parts if c == "parts" else c for c in TABLES):
            st.markdown(f"**{stats.SERIES[code].title}**")
            if note := disclosure.empty_note(now.series[code]):
                st.caption(note)
            # st.table is a real HTML table (readable by screen readers); labels such as
            # department names are typed by people, so they are escaped for its Markdown.
            st.table(
                {
                    "": [md_escape(c.label) for c in now.series[code]],
                    str(year): [c.shown for c in now.series[code]],
                }
            )
    st.subheader("Jaarverantwoording", anchor=False)
    st.write(
        f"Maak de verantwoording datalekken {year} voor "
        + ("alle organisaties samen." if org_id is None else f"{orgs[org_id]}.")
    )
    if st.button("Maak verantwoording", key="ov_make", icon=":material/description:"):
        selection = OrgSelection((org_id,) if org_id is not None else tuple(actor.org_ids))
        with store.unit() as db:
            st.session_state["ov_report"] = (
                year,
                org_id,
                {
                    fmt: downloads.offer(
                        db,
                        actor,
                        Action.MAKE_ANNUAL_REPORT,
                        selection,
                        Download(
                            f"verantwoording-{year}.{fmt}",
                            annual_report.MEDIA_TYPES[fmt],
                            annual_report.generate(db, actor, year, org_id, fmt),
                        ),
                    )
                    for fmt in REPORT_LINKS
                },
            )
    made = st.session_state.get("ov_report")
    if made and made[:2] == (year, org_id):  # never another year's report under this year's name
        shown = False
        for column, (fmt, text) in zip(st.columns(len(REPORT_LINKS)), REPORT_LINKS.items(), strict=True):
            with column:
                shown = downloads.link(made[2][fmt], text, primary=fmt == "html") or shown
        if shown:
            st.caption(downloads.HINT)
