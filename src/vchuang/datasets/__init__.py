"""Built-in datasets: the Longgang pilot, real classic data, synthetic districts.

* :func:`longgang_pilot` — the three 2019 pilot communities of Longgang's V创空间
  (Pingnan, He'ao, Hehua), with the programme's real facts and invented people; also
  shipped as a JSON document (:func:`longgang_pilot_path`).
* :func:`davis_southern_women` — Davis, Gardner and Gardner's record of 18 women at 14
  social events (Natchez, Mississippi, 1930s), as residents attending activities.
* :func:`longgang_ledger` — the pilot's micro-fund ledger for 2019 (partly invented; the
  docstring says which figures are).
* :func:`synthetic` — a realistic district of any size (households, buildings, a social
  network from a stochastic block model, projects and activities), reproducible from a
  seed; a million residents fit on a laptop.

Examples
--------
>>> from vchuang import datasets
>>> g = datasets.longgang_pilot()
>>> [c.name for c in g.communities()]
['Pingnan', "He'ao", 'Hehua']
>>> len(g.leaders())
16
"""

from __future__ import annotations

from importlib import resources as _resources
from typing import TYPE_CHECKING

from ..graph import CommunityGraph
from ..io import loads
from ._davis import davis_southern_women
from ._synthetic import synthetic

if TYPE_CHECKING:
    from ..funding import Ledger

__all__ = [
    "davis_southern_women",
    "longgang_ledger",
    "longgang_pilot",
    "longgang_pilot_path",
    "synthetic",
]


def longgang_pilot_path() -> str:
    """The path of the Longgang pilot document shipped inside the package.

    Examples
    --------
    >>> longgang_pilot_path().endswith("longgang_pilot.json")
    True
    """
    return str(_resources.files("vchuang") / "data" / "longgang_pilot.json")


def longgang_pilot() -> CommunityGraph:
    """The Longgang V创空间 pilot of 2019: three communities, their people and projects.

    Longgang District (龙岗区), Shenzhen, runs a grassroots social-governance incubator,
    V创空间, from its Social Innovation Centre (龙岗社会创新中心) with a street
    social-innovation centre in each pilot subdistrict (the "1+N" system). In 2019 it
    piloted in three communities (社区): Pingnan (Longgang Street), He'ao (Yuanshan Street)
    and Hehua (Pinghu Street). The graph holds what public reporting says about them —
    100+ engaged residents, exactly 16 leaders, 10+ self-governance projects, Pingnan's
    design-skilled leader with 20 neighbours in 3 groups and the Saturday 21 September 2019
    campaign he hosted with his wife, He'ao's July call that drew 12 golden ideas (金点子)
    among them three children's "Little Social Citizens" (小小社会人), the micro-funds
    (微基金) under the Longgang Social Innovation Charity Fund — and invented detail around
    it: every person and name, the social ties, populations, amounts and most dates.

    Each call reads the packaged document afresh and returns a new graph, so changing it
    never changes the next one.

    Returns
    -------
    CommunityGraph
        About 200 residents (16 leaders, 110 engaged, social workers, an audience of
        adults and minors), 11 projects, 12 proposals, about 50 activities; metadata with the
        title, source, licence (CC0-1.0) and ``as_of`` 2019-12-31.

    See Also
    --------
    longgang_pilot_path : where the same document is stored.
    longgang_ledger : the micro-fund ledger of the same pilot.
    synthetic : a district of any size, for trying methods at scale.

    Notes
    -----
    Minors (``Resident.minor``) carry no name but a label such as "Child (He'ao) 1".
    Adults carry invented pinyin names; none consented to be named
    (``consent_to_name`` is false), so published output replaces them by pseudonyms.
    The docs page *Datasets* has a table of which numbers come from the case and which
    are invented. The document is rebuilt from code with
    ``python -m vchuang.datasets._longgang``.

    References
    ----------
    .. [1] Longgang District Social Innovation Centre, public reporting on the
       V创空间 grassroots social-governance incubator and its 2019 pilots in Pingnan,
       He'ao and Hehua communities (summarised in the project's ``CASE.md``).

    Examples
    --------
    >>> from vchuang.datasets import longgang_pilot
    >>> g = longgang_pilot()
    >>> len(g.leaders()), len(g.engaged()) >= 100, len(g.projects()) >= 10
    (16, True, True)
    >>> g.hierarchy("heao")
    ('heao', 'yuanshan-st', 'longgang')
    """
    text = (_resources.files("vchuang") / "data" / "longgang_pilot.json").read_text("utf-8")
    return loads(text)


def longgang_ledger(graph: CommunityGraph | None = None) -> Ledger:
    """The micro-fund (微基金) ledger of the Longgang pilot, July–December 2019.

    Accounts: the Longgang Social Innovation Charity Fund (龙岗社会创新公益基金), its three
    street branches, each community's micro-fund, every project, the district Social
    Innovation Centre (giver of the seed money), each community's resident donors and
    three expense accounts.

    From the dataset (and so from the case where the dataset is): the fund hierarchy; the
    V创空间 seed money (¥30,000, invented in the dataset); each micro-fund's 2019
    donations (in the dataset's money resources); each project's budget and start date.
    Invented here, with a fixed seed: how the 2019 donations spread over four campaign
    days (the first on Saturday 21 September), that every incubated project's budget
    (scaled down so that all of them fit in the seed money) is approved as an incubation
    grant line and paid in two halves two months apart, the monthly spending (about a
    sixth of the grant, never more than the project holds),
    and the micro-funds' December top-up of their running projects (two fifths of the
    year's donations).

    Parameters
    ----------
    graph : CommunityGraph, optional
        The pilot graph (default: :func:`longgang_pilot`).

    Returns
    -------
    vchuang.funding.Ledger

    See Also
    --------
    longgang_pilot : the pilot's communities, people and projects.

    Examples
    --------
    >>> from vchuang import datasets
    >>> from vchuang.funding import format_yuan
    >>> ledger = datasets.longgang_ledger()
    >>> format_yuan(ledger.balance("pingnan-mf"), symbol=True)
    '¥11,160.00'
    """
    from ._ledger import build_longgang_ledger

    return build_longgang_ledger(graph if graph is not None else longgang_pilot())
