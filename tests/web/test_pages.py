"""The pages: home per role, incidents, neighbourhoods, the data page, errors and headers."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import LogIn, World
from vigil.bootstrap import Container
from vigil.domain.access import Role
from vigil.store.models import AuditEntry, CrimeRecord, ImportedFile, PersonRecord, SiteFact, Source

ROLE_HEADLINES = {
    Role.CALL_HANDLER: "Record ASB calls",
    Role.NEIGHBOURHOOD_OFFICER: "ASB on your beat",
    Role.PARTNER_ASB_OFFICER: "that the police share with partners",
    Role.ANALYST: "Where and when ASB happens",
    Role.SUPERVISOR: "four tests of a good ASB service",
    Role.ADMINISTRATOR: "This install: its data",
}


def references_on(html: str) -> list[str]:
    return re.findall(r'href="/incidents/([^"]+)"', html)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_home_page(role: Role, world: World, client: TestClient,
                                          log_in: LogIn) -> None:
    world.user("someone", role=role)
    log_in("someone")
    home = client.get("/")
    assert home.status_code == 200
    assert f"<h1>{role.label}</h1>" in home.text
    assert ROLE_HEADLINES[role] in home.text
    assert "Coming next for you" in home.text
    for other, headline in ROLE_HEADLINES.items():
        if other is not role:
            assert headline not in home.text


def test_home_page_counts_the_last_twelve_months_of_data_and_names_the_busiest_area(
        world: World, client: TestClient, log_in: LogIn) -> None:
    castle = world.area("E02000001", name="Castle")
    world.area("E02000002", name="Abbey")
    world.incident("OLD-1", month=date(2021, 10, 1), lsoa=castle[0])  # 13 months before
    for n in range(3):
        world.incident(f"NEW-{n}", month=date(2022, 10 - n, 1), lsoa=castle[1])
    world.incident("NEW-P", month=date(2022, 9, 1), category="personal")
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    home = client.get("/").text
    assert "ASB, Nov 2021 to Oct 2022" in home
    assert '<span class="big-number__value">4</span>' in home
    assert "<td>Nuisance</td><td class=\"num\">3</td>" in home
    assert "Castle" in home and "Abbey" not in home.split("Busiest neighbourhoods")[1].split(
        "</table>")[0]
    assert references_on(home)[0] == "NEW-0"


@pytest.mark.parametrize(("fact", "words"), [
    ({"kind": "real", "people": 2000, "incidents": 5400},
     "Demo data: synthetic callers on the real Leicestershire ASB locations "
     "(data.police.uk, OGL). 2,000 synthetic people, 5,400 demo calls."),
    ({"kind": "synthetic"}, "Demo data: a synthetic force area (no open data found)."),
    (None, "No data yet"),
])
def test_home_page_says_which_kind_of_data_this_install_holds(
        fact: dict[str, str] | None, words: str, world: World, container: Container,
        client: TestClient, log_in: LogIn) -> None:
    if fact is not None:
        with container.session_factory() as session:
            session.add(SiteFact(key="demo", value=fact))
            session.commit()
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    assert words in client.get("/").text


def test_home_page_says_when_only_open_data_was_imported(
        world: World, container: Container, client: TestClient, log_in: LogIn) -> None:
    with container.session_factory() as session:
        source_id = session.scalar(select(Source.id).where(Source.code == "police-uk"))
        assert source_id is not None
        session.add(ImportedFile(source_id=source_id, file_name="2022-10-leicestershire-street.csv",
                                 sha256="0" * 64, data_rows=1200, incidents_added=950,
                                 crimes_added=0, imported_by="cli:lead"))
        session.commit()
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    assert "Open data: 1 data.police.uk files imported (950 ASB incidents)" in client.get("/").text
    about = client.get("/about/data").text
    assert "2022-10-leicestershire-street.csv" in about
    assert "Contains public sector information licensed under the Open Government Licence v3.0 " \
           "(data.police.uk)." in about
    assert "Source: Office for National Statistics licensed under the Open Government Licence " \
           "v3.0. Contains OS data © Crown copyright and database right." in about


def test_incident_list_pages_and_searches(world: World, container: Container,
                                          client: TestClient, log_in: LogIn) -> None:
    container.settings.page_size = 2
    for n in range(5):
        world.incident(f"REF-{n}", month=date(2022, 1 + n, 1),
                       location_text="On or near Park Lane" if n % 2 else "On or near Mill Road")
    world.user("ann", role=Role.CALL_HANDLER)
    log_in("ann")
    try:
        first = client.get("/incidents").text
        assert "5 incidents" in first and "Page 1 of 3" in first
        assert references_on(first) == ["REF-4", "REF-3"]  # newest first
        third = client.get("/incidents?page=3").text
        assert references_on(third) == ["REF-0"]
        assert 'rel="prev"' in third and 'rel="next"' not in third
        park = client.get("/incidents?q=park+lane").text
        assert references_on(park) == ["REF-3", "REF-1"]
        assert 'href="/incidents?q=park+lane&amp;page=2"' not in park  # one page only
        months = client.get("/incidents?month_from=2022-02&month_to=2022-03").text
        assert references_on(months) == ["REF-2", "REF-1"]
        by_reference = client.get("/incidents?q=REF-0").text
        assert references_on(by_reference) == ["REF-0"]
    finally:
        container.settings.page_size = 50


def test_page_links_keep_the_search(world: World, container: Container, client: TestClient,
                                    log_in: LogIn) -> None:
    container.settings.page_size = 1
    world.incident("A-1", location_text="Park")
    world.incident("A-2", location_text="Park")
    world.user("ann", role=Role.CALL_HANDLER)
    log_in("ann")
    try:
        assert 'href="/incidents?q=Park&amp;page=2"' in client.get("/incidents?q=Park").text
    finally:
        container.settings.page_size = 50


def test_incident_list_filters_by_neighbourhood_source_and_category(
        world: World, client: TestClient, log_in: LogIn) -> None:
    castle = world.area("E02000001", name="Castle")
    abbey = world.area("E02000002", name="Abbey")
    world.incident("C-1", lsoa=castle[0])
    world.incident("A-1", lsoa=abbey[0], category="personal")
    world.incident("O-1", lsoa=abbey[1], source="police-uk", category=None)
    world.user("ann", role=Role.CALL_HANDLER)
    log_in("ann")
    assert references_on(client.get("/incidents?neighbourhood=E02000001").text) == ["C-1"]
    assert references_on(client.get("/incidents?source=police-uk").text) == ["O-1"]
    assert references_on(client.get("/incidents?category=personal").text) == ["A-1"]
    assert references_on(client.get("/incidents?category=not_recorded").text) == ["O-1"]


def test_bad_filters_are_each_named_with_what_is_wrong(world: World, client: TestClient,
                                                       log_in: LogIn) -> None:
    world.user("ann", role=Role.CALL_HANDLER)
    log_in("ann")
    answer = client.get("/incidents?month_from=October&month_to=2022-13&category=loud")
    assert answer.status_code == 400
    assert "There is a problem" in answer.text
    assert "Month from: &#39;October&#39; is not a month" in answer.text
    assert "Month to: &#39;2022-13&#39; is not a month" in answer.text
    assert "Category: &#39;loud&#39; is not a category" in answer.text


def test_incident_page_shows_the_place_and_the_people_with_their_roles(
        world: World, client: TestClient, log_in: LogIn) -> None:
    castle = world.area("E02000001", name="Castle", local_authority="Leicester")
    world.incident("REF-1", lsoa=castle[0], description="Loud music every night")
    world.person("REF-1", given_name="Mary", family_name="Smith", role="victim",
                 marker="lives_alone")
    world.person("REF-1", given_name="Joe", family_name="Bloggs", role="suspect")
    world.user("ann", role=Role.NEIGHBOURHOOD_OFFICER)
    log_in("ann")
    page = client.get("/incidents/REF-1").text
    assert "Loud music every night" in page
    assert "Castle" in page and "E010000010" in page and "Leicester" in page
    assert "Mary Smith" in page and "Victim" in page and "Lives alone" in page
    assert "Joe Bloggs" in page and "Suspect" in page


def test_viewing_an_incident_with_people_is_audited(
        world: World, container: Container, client: TestClient, log_in: LogIn) -> None:
    world.incident("REF-1")
    record_id = world.person("REF-1", given_name="Mary", family_name="Smith")
    user_id = world.user("ann", role=Role.CALL_HANDLER)
    log_in("ann")
    client.get("/incidents/REF-1")
    client.get("/incidents/REF-1")
    with container.session_factory() as session:
        views = session.scalars(select(AuditEntry).where(AuditEntry.action == "view")).all()
    assert len(views) == 2
    assert {(v.user_id, v.object_type, v.object_id) for v in views} == {
        (user_id, "incident", "REF-1")}
    assert views[0].detail == {"person_records": [record_id]}
    assert views[0].ip_address


def test_roles_that_may_not_see_people_do_not_and_are_not_audited(
        world: World, container: Container, client: TestClient, log_in: LogIn) -> None:
    world.incident("REF-1")
    world.person("REF-1", given_name="Mary", family_name="Smith")
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    page = client.get("/incidents/REF-1").text
    assert "Mary Smith" not in page
    assert "Your role does not show the people in incidents." in page
    with container.session_factory() as session:
        assert not session.scalars(select(AuditEntry).where(AuditEntry.action == "view")).all()


def test_partner_officer_cannot_see_police_only_incident(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.incident("SECRET-1", police_only=True)
    world.incident("CRIME-1", source="crime-records")  # a police-only source
    world.incident("SHARED-1")
    world.user("pat", role=Role.PARTNER_ASB_OFFICER)
    log_in("pat")
    assert client.get("/incidents/SECRET-1").status_code == 404
    assert client.get("/incidents/CRIME-1").status_code == 404
    missing = client.get("/incidents/NO-SUCH-1")
    hidden = client.get("/incidents/SECRET-1")
    assert hidden.text == missing.text.replace("NO-SUCH-1", "SECRET-1")
    assert references_on(client.get("/incidents").text) == ["SHARED-1"]
    assert "Force crime records system" not in client.get("/incidents").text
    assert client.get("/incidents/SHARED-1").status_code == 200


def test_police_see_police_only_incidents_marked_as_such(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.incident("SECRET-1", police_only=True)
    world.user("nick", role=Role.NEIGHBOURHOOD_OFFICER)
    log_in("nick")
    page = client.get("/incidents/SECRET-1")
    assert page.status_code == 200 and "Police only" in page.text


def test_partner_officer_never_sees_a_police_only_person_record(
        world: World, client: TestClient, log_in: LogIn) -> None:
    world.incident("REF-1")
    world.person("REF-1", given_name="Mary", family_name="Smith")
    world.person("REF-1", given_name="Ivan", family_name="Intel", role="suspect",
                 police_only=True)
    world.person("REF-1", given_name="Carl", family_name="Crime", role="suspect",
                 source="crime-records")
    world.user("pat", role=Role.PARTNER_ASB_OFFICER)
    world.user("nick", role=Role.NEIGHBOURHOOD_OFFICER)
    log_in("pat")
    partner_page = client.get("/incidents/REF-1").text
    assert "Mary Smith" in partner_page
    assert "Ivan Intel" not in partner_page and "Carl Crime" not in partner_page
    log_in("nick")
    police_page = client.get("/incidents/REF-1").text
    assert "Ivan Intel" in police_page and "Carl Crime" in police_page


def test_neighbourhoods_are_grouped_by_local_authority_with_rates(
        world: World, client: TestClient, log_in: LogIn) -> None:
    castle = world.area("E02000001", name="Castle", lsoas=2, population_each=1000,
                        local_authority="Leicester")
    world.area("E02000002", name="Loughborough North", lsoas=3, population_each=2000,
               local_authority="Charnwood")
    for n in range(5):
        world.incident(f"C-{n}", lsoa=castle[n % 2])
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    page = client.get("/neighbourhoods").text
    assert page.index('<h2 id="la-1">Leicester</h2>') < page.index("Charnwood</h2>")  # busiest
    castle_row = page.split(">Castle</a></td>")[1].split("</tr>")[0]
    assert re.findall(r'class="num">([^<]+)<', castle_row) == ["2", "2,000", "5", "2.5"]
    north_row = page.split(">Loughborough North</a></td>")[1].split("</tr>")[0]
    assert re.findall(r'class="num">([^<]+)<', north_row) == ["3", "6,000", "0", "0.0"]
    assert "Contains public sector information licensed under the Open Government" in page


def test_unknown_page_gives_a_not_found_page(world: World, client: TestClient,
                                             log_in: LogIn) -> None:
    world.user("ann", role=Role.ANALYST)
    log_in("ann")
    answer = client.get("/no/such/page")
    assert answer.status_code == 404
    assert "Page not found" in answer.text and "Log out" in answer.text


def test_pages_carry_the_security_headers(client: TestClient) -> None:
    headers = client.get("/login").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"


def test_vendored_front_end_files_are_served_locally(client: TestClient) -> None:
    for path in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/swagger-ui/swagger-ui.css",
                 "/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vigil.css"):
        assert client.get(path).status_code == 200, path
    page = client.get("/login").text
    assert "http://" not in page and "https://" not in page


def test_about_the_data_counts_what_each_source_holds_and_hides_police_only_ones_from_partners(
        world: World, container: Container, client: TestClient, log_in: LogIn) -> None:
    with container.session_factory() as session:
        source_ids = dict(session.execute(select(Source.code, Source.id)).all())
        session.add_all([
            CrimeRecord(source_id=source_ids["police-uk-crimes"], source_key=f"f.csv:{n}",
                        month=date(2022, 1, 1), crime_type="Burglary") for n in range(3)
        ])
        session.add_all([
            PersonRecord(source_id=source_ids["crime-records"], source_key="CR-1",
                         given_name="Hidden", family_name="Suspect", police_only=True),
            PersonRecord(source_id=source_ids["council-cases"], source_key="CC-1",
                         given_name="Known", family_name="Tenant"),
        ])
        session.commit()
    world.user("ann", role=Role.ANALYST)
    world.user("pat", role=Role.PARTNER_ASB_OFFICER)

    log_in("ann")
    rows = {row[0]: row[1:] for row in _source_rows(client.get("/about/data").text)}
    assert rows["data.police.uk crimes (open data)"][-2:] == ["3", "0"]
    assert rows["Force crime records system Police only"][-1] == "1"
    assert rows["City Council ASB case list"][-1] == "1"

    client.post("/logout", data={"csrf_token": _csrf(client)})
    log_in("pat")
    page = client.get("/about/data").text
    assert "Force crime records system" not in page
    assert "City Council ASB case list" in page


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert match is not None
    return match.group(1)


def _source_rows(html: str) -> list[list[str]]:
    table = html.split('aria-label="Sources"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]:
        cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row,
                                                                       flags=re.S)]
        rows.append([" ".join(c.split()) for c in cells])
    return rows
