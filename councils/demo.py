"""Demo councils for `load_demo`: Elbasan with the full art. 4 composition, and its neighbours
Belsh and Librazhd, served by the same district prosecution office and the same SKN prosecutor.
Idempotent: every record is found by its natural key before it is created."""

from datetime import date

from django.contrib.auth import get_user_model

from .models import Council, CouncilInstitution, Institution, Membership, Person, Role

C = Institution.Category
PROSECUTION = "Prokuroria pranë Gjykatës së Shkallës së Parë Elbasan"

# (category, institution, [(person, position, e-mail or "", [roles])])
ELBASAN = [
    (
        C.MAYOR,
        "Bashkia Elbasan",
        [
            ("Gazmend Oketa", "Kryetar i Bashkisë", "kryetari@elbasan.kvsp.demo", [Role.MEMBER, Role.CHAIR]),
            (
                "Elira Muça",
                "Drejtore e Politikave Sociale",
                "skn.bashkia@elbasan.kvsp.demo",
                [Role.SKN_MUNICIPALITY],
            ),
            (
                "Dorina Cela",
                "Specialiste, Sektori i Sigurisë Publike",
                "sekretari@elbasan.kvsp.demo",
                [Role.SECRETARY],
            ),
        ],
    ),
    (
        C.MUNICIPAL_COUNCIL,
        "Këshilli Bashkiak Elbasan",
        [
            ("Laura Marku", "Kryetare e Këshillit Bashkiak", "", [Role.MEMBER]),
        ],
    ),
    (
        C.POLICE,
        "Komisariati i Policisë Elbasan",
        [
            ("Arben Hysa", "Drejtues i Komisariatit", "", [Role.MEMBER]),
            (
                "Artan Dervishi",
                "Specialist i policimit në komunitet",
                "skn.policia@elbasan.kvsp.demo",
                [Role.SKN_POLICE],
            ),
        ],
    ),
    (
        C.PROSECUTION,
        PROSECUTION,
        [
            (
                "Fatmir Lleshi",
                "Drejtues i Prokurorisë",
                "f.lleshi@prokuroria-elbasan.kvsp.demo",
                [Role.MEMBER],
            ),
            ("Mirela Shehu", "Prokurore", "skn.prokuroria@elbasan.kvsp.demo", [Role.SKN_PROSECUTION]),
        ],
    ),
    (
        C.PARTY,
        "Partia Socialiste — grupi në Këshillin Bashkiak Elbasan",
        [
            ("Sokol Daci", "Anëtar i Këshillit Bashkiak", "", [Role.MEMBER]),
        ],
    ),
    (
        C.PARTY,
        "Partia Demokratike — grupi në Këshillin Bashkiak Elbasan",
        [
            ("Valbona Kurti", "Anëtare e Këshillit Bashkiak", "", [Role.MEMBER]),
        ],
    ),
    (
        C.EDUCATION_OFFICE,
        "Zyra Vendore Arsimore Elbasan",
        [
            ("Ilir Basha", "Drejtues i Zyrës Vendore Arsimore", "anetar@elbasan.kvsp.demo", [Role.MEMBER]),
        ],
    ),
    (
        C.PUBLIC_HEALTH,
        "Drejtoria Vendore e Shëndetit Publik Elbasan",
        [
            ("Anila Gjika", "Drejtore", "", [Role.MEMBER]),
        ],
    ),
    (
        C.STATE_SOCIAL_SERVICE,
        "Drejtoria Rajonale e Shërbimit Social Shtetëror Elbasan",
        [
            ("Kozeta Hoxha", "Përfaqësuese", "", [Role.MEMBER]),
        ],
    ),
    (C.RELIGIOUS, "Myftinia Elbasan", [("Ramadan Çela", "Përfaqësues", "", [Role.MEMBER])]),
    (
        C.RELIGIOUS,
        "Mitropolia e Shpatit dhe Elbasanit",
        [("Atë Gjergji Papa", "Përfaqësues", "", [Role.MEMBER])],
    ),
    (
        C.CHAMBER,
        "Dhoma e Tregtisë dhe Industrisë Elbasan",
        [("Edmond Shkurti", "Kryetar", "", [Role.MEMBER])],
    ),
    (C.CIVIL_SOCIETY, "Qendra Rinore e Elbasanit", [("Klea Dervishaj", "Koordinatore", "", [Role.MEMBER])]),
    (C.CIVIL_SOCIETY, "Shoqata e Grave të Elbasanit", [("Mimoza Rama", "Drejtuese", "", [Role.MEMBER])]),
    (
        C.EMERGENCIES,
        "Sektori i Emergjencave Civile, Bashkia Elbasan",
        [
            ("Gentian Lika", "Përgjegjës sektori", "", [Role.MEMBER]),
        ],
    ),
    (
        C.MUNICIPAL_SOCIAL_SERVICE,
        "Drejtoria e Shërbimit Social, Bashkia Elbasan",
        [
            ("Blerina Koçi", "Drejtore", "", [Role.MEMBER]),
        ],
    ),
    (
        C.CHILD_PROTECTION,
        "Njësia për Mbrojtjen e Fëmijëve dhe kundër Dhunës në Familje, Bashkia Elbasan",
        [
            ("Ornela Zeqo", "Punonjëse për mbrojtjen e fëmijëve", "", [Role.MEMBER]),
        ],
    ),
    (
        C.SCHOOLS,
        "Shkolla e Mesme e Përgjithshme \u201cKostandin Kristoforidhi\u201d",
        [
            ("Petrit Bregu", "Drejtor", "", [Role.MEMBER]),
        ],
    ),
    (
        C.PREFECT,
        "Prefektura e Qarkut Elbasan",
        [
            ("Entela Gjoni", "Këshilltare e Prefektit", "i.ftuar@elbasan.kvsp.demo", [Role.GUEST]),
        ],
    ),
]

NEIGHBOURS = {
    "belsh": [
        (
            C.MAYOR,
            "Bashkia Belsh",
            [
                ("Erion Nasi", "Kryetar i Bashkisë", "kryetari@belsh.kvsp.demo", [Role.MEMBER, Role.CHAIR]),
                (
                    "Alma Ferra",
                    "Specialiste e sigurisë publike",
                    "sekretari@belsh.kvsp.demo",
                    [Role.SECRETARY],
                ),
            ],
        ),
        (C.POLICE, "Komisariati i Policisë Belsh", [("Dritan Meta", "Drejtues", "", [Role.MEMBER])]),
        (
            C.PROSECUTION,
            PROSECUTION,
            [
                ("Fatmir Lleshi", "", "f.lleshi@prokuroria-elbasan.kvsp.demo", [Role.MEMBER]),
                ("Mirela Shehu", "", "skn.prokuroria@elbasan.kvsp.demo", [Role.SKN_PROSECUTION]),
            ],
        ),
    ],
    "librazhd": [
        (
            C.MAYOR,
            "Bashkia Librazhd",
            [
                ("Majlinda Cara", "Kryetare e Bashkisë", "", [Role.MEMBER, Role.CHAIR]),
            ],
        ),
        (C.POLICE, "Komisariati i Policisë Librazhd", [("Ylli Doda", "Drejtues", "", [Role.MEMBER])]),
        (
            C.PROSECUTION,
            PROSECUTION,
            [
                ("Fatmir Lleshi", "", "f.lleshi@prokuroria-elbasan.kvsp.demo", [Role.MEMBER]),
                ("Mirela Shehu", "", "skn.prokuroria@elbasan.kvsp.demo", [Role.SKN_PROSECUTION]),
            ],
        ),
    ],
}

COUNCILS = {
    "elbasan": {
        "status": Council.Status.ACTIVE,
        "founding_decision_number": "1123",
        "founding_decision_date": date(2018, 6, 12),
        "founding_decision_body": "Kryetari i Bashkisë Elbasan",
        "contact_email": "kvsp@elbasan.kvsp.demo",
        # "Vendim nr. 78, datë 26.07.2018" of the municipal council, approving the regulation.
        "regulation_approval_number": "78",
        "regulation_approval_date": date(2018, 7, 26),
    },
    "belsh": {
        "status": Council.Status.ESTABLISHED,
        "founding_decision_number": "45",
        "founding_decision_date": date(2019, 3, 4),
        "founding_decision_body": "Kryetari i Bashkisë Belsh",
    },
    "librazhd": {
        "status": Council.Status.ESTABLISHED,
        "founding_decision_number": "212",
        "founding_decision_date": date(2019, 11, 20),
        "founding_decision_body": "Kryetari i Bashkisë Librazhd",
    },
}
START = date(2025, 1, 15)
# The heads of Elbasan's three institutions: the SKN's summary after each meeting goes to them.
HEADS = {
    "Bashkia Elbasan": ("Gazmend Oketa", "kryetari@elbasan.kvsp.demo"),
    "Komisariati i Policisë Elbasan": ("Arben Hysa", "drejtori@policia-elbasan.kvsp.demo"),
    PROSECUTION: ("Fatmir Lleshi", "f.lleshi@prokuroria-elbasan.kvsp.demo"),
}


# The demo people's recorded genders: the Albanian agrees with them ("e pranishme", "e ftuar").
WOMEN = {
    "Anila Gjika", "Blerina Koçi", "Dorina Cela", "Elira Muça", "Entela Gjoni", "Kozeta Hoxha",
    "Laura Marku", "Majlinda Cara", "Mirela Shehu", "Ornela Zeqo", "Valbona Kurti",
}  # fmt: skip


def _genders() -> None:
    for person in Person.objects.filter(gender=""):
        _update(person, {"gender": "f" if person.full_name in WOMEN else "m"})


def _update(obj, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def _compose(council: Council, composition) -> int:
    created = 0
    county = council.municipality.county
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith=".kvsp.demo")}
    for category, name, people in composition:
        institution, new = Institution.objects.get_or_create(
            name=name, county=county, defaults={"category": category}
        )
        created += new
        _, new = CouncilInstitution.objects.get_or_create(
            council=council, institution=institution, end_date=None, defaults={"start_date": START}
        )
        created += new
        for full_name, position, email, roles in people:
            lookup = {"email": email} if email else {"full_name": full_name, "institution": institution}
            if email and not Person.objects.filter(email=email).exists():
                # Recorded by an earlier demo without an address (Belsh's chair): found by name.
                Person.objects.filter(full_name=full_name, institution=institution, email="").update(
                    email=email
                )
            person, new = Person.objects.get_or_create(
                **lookup, defaults={"full_name": full_name, "position": position, "institution": institution}
            )
            created += new
            if email in users and person.user_id != users[email].pk:
                person.user = users[email]
                person.save(update_fields=["user"])
            for role in roles:
                _, new = Membership.objects.get_or_create(
                    council=council,
                    person=person,
                    role=role,
                    end_date=None,
                    defaults={
                        "institution": institution,
                        "start_date": START,
                        "designated_by": "Urdhër i titullarit të institucionit",
                    },
                )
                created += new
    return created


def load() -> int:
    """Create or refresh the demo councils; returns how many records were created."""
    created = 0
    for slug, values in COUNCILS.items():
        council = Council.objects.select_related("municipality__county").get(municipality__slug=slug)
        _update(council, values)
        created += _compose(council, ELBASAN if slug == "elbasan" else NEIGHBOURS[slug])
    _genders()
    for name, (head_name, head_email) in HEADS.items():
        for institution in Institution.objects.filter(name=name):
            _update(institution, {"head_name": head_name, "head_email": head_email})
    # Elbasan's referral figures of a year and its cooperation agreements.
    from .registers import demo as registers_demo

    return created + registers_demo.load()
