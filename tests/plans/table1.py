"""The guide's Table 1 (IDM, "Praktika të mira: plani vendor shumaktorial", the Elbasan example;
/work/shared/seed/kvsp-model-guide.sq.txt) as printed: its title, its four rows with their numbers,
problems with statistics, priorities, fourteen activities, the institutions and actors each row
names once, and each row's deadline. The council seats the triangle under the names the table
prints (MEMBERS); the other names are actors, not members (ACTORS)."""

TITLE = "Plani i përbashkët ndërinstitucional për parandalimin e krimit në Bashkinë Elbasan"

POLICE = "Drejtoria e Policisë/Komisariati i Policisë Elbasan"
PROSECUTION = "Prokuroria e Rrethit Gjyqësor"
MUNICIPALITY = "Bashkia Elbasan"
EDUCATION = "Drejtoria Arsimore"
NGO = "OJF"
COMMUNITY = "Përfaqësues të komunitetit"

MEMBERS = {POLICE: "c", PROSECUTION: "d", MUNICIPALITY: "a"}
ACTORS = (EDUCATION, NGO, COMMUNITY)
UPDATED = "Përditësuar nga takimit i Këshillit Vendor të Sigurisë Publike, mbajtur më datë 03 Shkurt 2022"

# The deadline as data, and as the product writes it in Albanian (the guide prints "Çdo 2 muaj",
# "6 Mujori i pare", "Gjatë gjithë vitit").
EVERY_2_MONTHS = ({"deadline_kind": "recurrence", "deadline_every_months": 2}, "çdo 2 muaj")
FIRST_HALF = ({"deadline_kind": "period", "deadline_period": "h1"}, "në gjashtëmujorin e parë")
ALL_YEAR = ({"deadline_kind": "all_year"}, "gjatë gjithë vitit")

ROWS = [
    {
        "number": "1.2",
        "title": "Përballja me dukurinë e “kulturës së heshtjes” nga institucionet e “trekëndëshit”",
        "statistics": "",
        "provenance": "",
        "priority": "moderate",
        "priority_text": "Prioritet i moderuar",
        "activities": [
            "Rritja e komunikimit dhe transparencës të çdo institucioni në mënyrë periodike me qytetarët;",
            "Mbajtja e takimeve periodike me OJF-të dhe grupe të tjera të interesit nga institucionet e "
            "“trekëndëshit”;",
            "Rritja e komunikimit dhe partneritetit të policisë me qytetarët.",
        ],
        "members": [POLICE, PROSECUTION, MUNICIPALITY],
        "actors": [],
        "deadline": EVERY_2_MONTHS,
    },
    {
        "number": "1.4",
        "title": "Konsumi i lëndëve narkotike, alkoolit, dhe duhanit nga të rinjtë",
        "statistics": "Gjatë vitit 2021, janë konstatuar 63 raste të prodhimit dhe shpërndarjes së lëndëve "
        "narkotike, me 102 autorë të evidentuar si të përfshirë në këto vepra penale nga Drejtoria "
        "Vendore e Policisë Elbasan",
        "provenance": "",
        "priority": "high",
        "priority_text": "Prioritet i lartë",
        "activities": [
            "Zhvillimi i orëve edukative ligjore nga Prokuroria për të rinjtë;",
            "Përmirësimi i komunikimit dhe bashkëpunimit midis policisë, shkollës, nxënësve dhe prindërve;",
            "Konsultimi me liderët e komuniteteve, dhe grupet e interesit.",
        ],
        "members": [POLICE, PROSECUTION, MUNICIPALITY],
        "actors": [EDUCATION],
        "deadline": FIRST_HALF,
    },
    {
        "number": "1.5",
        "title": "Dhuna në familje",
        "statistics": "Për vitin 2021 janë evidentuar 56 raste të dhunës në familje në këtë bashki/ 7 vepra "
        "penale më pak se në vitin 2020, statistika nga Drejtoria Vendore e Policisë Elbasan",
        "provenance": UPDATED,
        "priority": "high",
        "priority_text": "Prioritet i lartë",
        "activities": [
            "Konsultimi midis bashkisë dhe OJF-ve për të identifikuar problematikat/fushat prioritare;",
            "Nxitja e partneritetit midis policisë dhe strukturave komunitare/ ndërlidhësit komunitar;",
            "Drejtoria vendore e Policisë Elbasan do të ndërmarrë krijimin e një databaze;",
            "Vendosja e numrave të kontaktit me viktimat e dhunës dhe përfaqësues të Komisariatit të "
            "Policisë.",
        ],
        "members": [POLICE, PROSECUTION, MUNICIPALITY],
        "actors": [NGO],
        "deadline": ALL_YEAR,
    },
    {
        "number": "1.7",
        "title": "Zonat e “nxehta”/hotspotet për përdoruesit dhe shpërndarësit e drogës apo të krimit",
        "statistics": "",
        "provenance": UPDATED,
        "priority": "high",
        "priority_text": "Prioritet i lartë",
        "activities": [
            "Identifikimi i zonave të nxehta dhe publikimi i tyre;",
            "Përmirësimi i një sistemi vëzhgues të kamerave në qytet;",
            "Evidentimi individual i frekuentuesve të këtyre zonave dhe bashkëpunimi ndërinstitucional për "
            "të ulur intensitetin e përfshirjes individuale në grupe;",
            "Ndjekja në vazhdimësi të dinamikës së lëvizjes dhe ndryshimit të zonave të “nxehta”.",
        ],
        "members": [POLICE, PROSECUTION, MUNICIPALITY],
        "actors": [COMMUNITY, NGO],
        "deadline": FIRST_HALF,
    },
]


def seat_members(council, role_people: dict) -> dict:
    """Seat the triangle under the names Table 1 prints; ``role_people``: {role: user} given a seat
    in the municipality (the secretary, the chair) or the police (the SKN)."""
    from councils import services
    from councils.models import Institution, Role
    from tests.factories import give_role

    institutions = {name: Institution.objects.create(name=name, category=c) for name, c in MEMBERS.items()}
    for institution in institutions.values():
        services.seat_add(council=council, institution=institution)
    seats = {
        Role.SECRETARY: MUNICIPALITY,
        Role.CHAIR: MUNICIPALITY,
        Role.SKN_POLICE: POLICE,
        Role.SKN_PROSECUTION: PROSECUTION,
        Role.SKN_MUNICIPALITY: MUNICIPALITY,
    }
    for role, user in role_people.items():
        give_role(council, role, user=user, institution=institutions[seats[role]])
    return institutions


def load(version, institutions: dict) -> None:
    """Enter the whole table into a draft through the services, as the secretary would."""
    from plans import services

    services.version_retitle(version=version, title=TITLE)
    for row in ROWS:
        problem = services.problem_add(
            version=version,
            number=row["number"],
            title=row["title"],
            statistics=row["statistics"],
            provenance=row["provenance"],
            priority=row["priority"],
            institutions=[institutions[name] for name in row["members"]],
            new_actors=row["actors"],
            **row["deadline"][0],
        )
        for text in row["activities"]:
            services.activity_add(problem=problem, text=text)


# The deadlines as the guide prints them.
DEADLINE_AS_PRINTED = {
    "1.2": "Çdo 2 muaj",
    "1.4": "6 Mujori i pare",
    "1.5": "Gjatë gjithë vitit",
    "1.7": "6 Mujori i pare",
}


def workbook_as_printed() -> bytes:
    """Table 1 typed into the import's workbook as the guide prints it: no lead column; each row's
    responsible bodies (members, then actors) and its deadline once, on its first line; the other
    lines give the activity only."""
    import io

    from openpyxl import Workbook

    from plans.importer import COLUMNS

    columns = [column for column in COLUMNS if column.key != "lead"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plani"
    sheet.append([column.header for column in columns])
    for row in ROWS:
        for index, text in enumerate(row["activities"]):
            line = {"number": row["number"], "activity": text}
            if index == 0:
                line |= {
                    "title": row["title"],
                    "statistics": row["statistics"],
                    "provenance": row["provenance"],
                    "priority": row["priority_text"],
                    "partners": "; ".join(row["members"] + list(row["actors"])),
                    "deadline": DEADLINE_AS_PRINTED[row["number"]],
                }
            sheet.append([line.get(column.key) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
