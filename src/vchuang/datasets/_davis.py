"""Davis, Gardner and Gardner's Southern Women record as community data (private).

The record is the attendance of 18 women at 14 informal social events in "Old City"
(Natchez, Mississippi) in the 1930s, published in *Deep South* (1941) and one of the most
analysed two-mode networks in social science. networkx ships it as
:func:`networkx.davis_southern_women_graph`; :func:`davis_southern_women` turns it into a
:class:`~vchuang.graph.CommunityGraph`.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from ..graph import CommunityGraph
from ..model import (
    Activity,
    ActivityKind,
    Community,
    District,
    Entity,
    Link,
    Metadata,
    Resident,
    Subdistrict,
)

__all__ = ["EVENT_DATES", "NOMINAL_YEAR", "davis_southern_women"]

#: The year given to every event. The source prints month and day only.
NOMINAL_YEAR = 1935

#: Month and day of events E1–E14 as printed in the column heads of Davis, Gardner and
#: Gardner's table (the same labels the table carries in later reproductions, e.g.
#: Breiger 1974 and Freeman 2003).
EVENT_DATES: dict[str, tuple[int, int]] = {
    "E1": (6, 27), "E2": (3, 2), "E3": (4, 12), "E4": (9, 26), "E5": (2, 25),
    "E6": (5, 19), "E7": (3, 15), "E8": (9, 16), "E9": (4, 8), "E10": (6, 10),
    "E11": (2, 23), "E12": (4, 7), "E13": (11, 21), "E14": (8, 3),
}  # fmt: skip

_METADATA = Metadata(
    title="Southern Women (Davis, Gardner & Gardner 1941)",
    description=(
        "Attendance of 18 women at 14 informal social events in 'Old City' (Natchez, "
        "Mississippi), 1930s: the classic two-mode network, as residents of one community "
        "attending activities. Names are the pseudonyms of the original study."
    ),
    source=(
        "Davis, A., Gardner, B. B. & Gardner, M. R. (1941). Deep South: A Social "
        "Anthropological Study of Caste and Class. University of Chicago Press. Attendance "
        "as distributed with networkx (davis_southern_women_graph); event month/day from "
        "the column heads of the original table; the year (1935) is nominal."
    ),
    license="Published research data (1941), as redistributed by networkx (BSD-3-Clause)",
)


def davis_southern_women() -> CommunityGraph:
    """The Southern Women record: 18 women at 14 social events, as community data.

    Davis, Gardner and Gardner recorded which of 18 women of "Old City" (their name
    for Natchez, Mississippi) took part in which of 14 informal social events in the
    1930s; by their dates the events spread over nine months of a year. The record
    has been re-analysed in many studies of groups and cliques (Freeman 2003 compares
    them), so it is a good test bed for a method no one here designed the data for.

    Each woman is a :class:`~vchuang.model.Resident` of one community
    (``"old-city"``), each event an :class:`~vchuang.model.Activity` of kind
    ``other`` whose ``attendees`` are the women recorded there (89 attendances in all).
    No ``knows`` ties are added: the record has none; use
    :meth:`~vchuang.graph.CommunityGraph.coparticipation` for the women-by-women
    projection.

    Returns
    -------
    CommunityGraph
        1 district, 1 subdistrict, 1 community, 18 residents, 14 activities.

    Notes
    -----
    *Provenance.* Who attended which event comes from
    :func:`networkx.davis_southern_women_graph` (women in its order, events E1–E14).
    networkx keeps no dates; the month and day of each event are the column heads of
    the original table (6/27, 3/2, 4/12, 9/26, 2/25, 5/19, 3/15, 9/16, 4/8, 6/10,
    2/23, 4/7, 11/21, 8/3 for E1–E14). The table gives no year; every event is dated
    in 1935, a year of the study's fieldwork in the mid-1930s, so dates order the
    events within a year but the year itself is a placeholder. Names are the
    pseudonyms the authors gave the women. Headcounts beyond these 18 women are not
    recorded, so ``attendance`` is left unset.

    References
    ----------
    .. [1] Davis, A., Gardner, B. B., & Gardner, M. R. (1941). *Deep South: A Social
       Anthropological Study of Caste and Class*. University of Chicago Press.
    .. [2] Breiger, R. L. (1974). The duality of persons and groups. *Social Forces*,
       53(2), 181–190. https://doi.org/10.2307/2576011
    .. [3] Freeman, L. C. (2003). Finding social groups: A meta-analysis of the southern
       women data. In R. Breiger, K. Carley & P. Pattison (Eds.), *Dynamic Social
       Network Modeling and Analysis* (pp. 39–97). National Academies Press.

    Examples
    --------
    >>> from vchuang.datasets import davis_southern_women
    >>> g = davis_southern_women()
    >>> len(g.residents()), len(g.activities())
    (18, 14)
    >>> sum(len(a.attendees) for a in g.activities())
    89
    >>> g.get("e01").date
    datetime.date(1935, 6, 27)
    """
    source = nx.davis_southern_women_graph()
    women: list[str] = list(source.graph["top"])
    events: list[str] = list(source.graph["bottom"])
    resident_id = {name: f"w{i:02d}" for i, name in enumerate(women, start=1)}
    items: list[Entity | Link] = [
        District(id="adams-county", name="Adams County, Mississippi"),
        Subdistrict(id="natchez", name="Natchez ('Old City')", district="adams-county"),
        Community(id="old-city", name="Old City women", subdistrict="natchez"),
    ]
    items += [Resident(id=resident_id[name], name=name, community="old-city") for name in women]
    for i, event in enumerate(events, start=1):
        month, day = EVENT_DATES[event]
        attendees = [resident_id[w] for w in women if source.has_edge(w, event)]
        items.append(
            Activity(
                id=f"e{i:02d}",
                name=f"Social event {event} ({dt.date(NOMINAL_YEAR, month, day):%d %B})",
                activity_kind=ActivityKind.OTHER,
                date=dt.date(NOMINAL_YEAR, month, day),
                place="old-city",
                attendees=attendees,
                description=f"Event {event} of Davis, Gardner & Gardner (1941).",
            )
        )
    graph = CommunityGraph(metadata=_METADATA)
    graph.add_all(items)
    return graph
