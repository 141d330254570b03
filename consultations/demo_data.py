"""The data of Elbasan's demo consultations (consultations/demo.py loads them), after Table 1 of
the IDM guide: two held consultations with participation, concerns and problems, one announced
ahead with concerns awaiting moderation, and one in preparation whose agenda waits for the SKN."""

from datetime import date, datetime

from councils.models import Institution

from .models import Concern, Intensity, ParticipantGroup, Problem

C = Institution.Category
Cat = Concern.Category
Src = Concern.Source
G = ParticipantGroup
TRIANGLE = (C.MAYOR, C.POLICE, C.PROSECUTION)
POLICE_SOURCE = "Drejtoria Vendore e Policisë Elbasan"
# The "triangle" of heads who co-lead Elbasan's consultations (councils/demo.py seats them).
HEADS = {
    "mayor_name": "Gazmend Oketa, Kryetar i Bashkisë",
    "police_chief_name": "Arben Hysa, Drejtues i Komisariatit të Policisë",
    "prosecutor_name": "Fatmir Lleshi, Drejtues i Prokurorisë së Rrethit",
}
PUBLISH, REDACT, REJECT, MERGE, RECEIVED = "publish", "redact", "reject", "merge", "received"

# A concern: (key, source, category, unit, neighbourhood, text, contact, moderation, argument).
# ``moderation`` is PUBLISH, REDACT (argument: the public text), REJECT (argument: the reason),
# MERGE (argument: the key of the concern it joins) or RECEIVED. ``contact`` is (name, e-mail,
# phone) or None.
# A problem: (title, [concern keys], assessment for ``problem_assess``; institutions by category).

HELD = [
    {
        "starts_at": datetime(2021, 11, 18, 17, 0),
        "title": "Takimi i hapur konsultativ i vjeshtës 2021",
        "place": "Salla e Pallatit të Kulturës \u201cAleksandër Moisiu\u201d, Elbasan",
        "unit": "Elbasan",
        "agenda": [
            "Ecuria e zbatimit të planit shumaktorial vendor 2021",
            "Shqetësimet e qytetarëve për sigurinë në lagje",
            "Konsumi i drogës, alkoolit dhe duhanit nga të rinjtë",
            "Propozime për planin shumaktorial vendor 2022",
        ],
        "participation": {
            G.VILLAGE_HEADS: (0, 3, 0),
            G.COMMUNITY_LIAISONS: (2, 3, 0),
            G.SCHOOLS_PARENTS: (9, 4, 0),
            G.STUDENT_GOVERNMENTS: (4, 3, 0),
            G.BUSINESSES: (1, 4, 0),
            G.CIVIL_SOCIETY: (5, 2, 0),
            G.RELIGIOUS: (0, 2, 0),
            G.MEDIA: (2, 1, 0),
            G.YOUTH: (5, 4, 0),
            G.LOCAL_INSTITUTIONS: (2, 3, 0),
            G.MINORITIES: (4, 2, 0),
            G.OTHER_CITIZENS: (6, 8, 1),
        },
        "summary": (
            "Në takim morën pjesë 69 veta, prej tyre 34 gra, nga lagjet e qytetit dhe disa fshatra "
            "të bashkisë. Drejtuesit e bashkisë, policisë dhe prokurorisë prezantuan ecurinë e "
            "planit shumaktorial të vitit 2021 dhe dëgjuan shqetësimet e qytetarëve.\n\n"
            "Shqetësimi kryesor ishte konsumi i drogës, alkoolit dhe duhanit nga të rinjtë, "
            "sidomos pranë shkollave dhe në parqet e lagjeve. Prindërit kërkuan orë edukative në "
            "shkolla dhe më shumë bashkëpunim të policisë me shkollat. Disa qytetarë thanë se nuk "
            "denoncojnë nga frika se do të merret vesh emri i tyre, dhe kërkuan që institucionet "
            "e \u201ctrekëndëshit\u201d të takohen më shpesh me komunitetin.\n\n"
            "U ngritën edhe ndriçimi i dobët i rrugëve në lagjen Kristoforidhi dhe zhurmat nga "
            "lokalet natën. SKN-ja do t'i shqyrtojë shqetësimet dhe do t'i propozojë KVSP-së "
            "problematikat për planin e vitit 2022."
        ),
        "follow_up": None,
        "concerns": [
            (
                "silence-report",
                Src.ONLINE,
                Cat.CULTURE_OF_SILENCE,
                "Elbasan",
                "Lagjja Kristoforidhi",
                "Njerëzit kanë frikë të denoncojnë në polici, sepse mendojnë se emri i tyre do të "
                "merret vesh në lagje. Duhet një mënyrë që të raportojmë pa u ekspozuar.",
                None,
                PUBLISH,
                None,
            ),
            (
                "silence-answers",
                Src.ORAL,
                Cat.CULTURE_OF_SILENCE,
                "Elbasan",
                "Lagjja Aqif Pasha",
                "Policia, prokuroria dhe bashkia duhet të takohen më shpesh me qytetarët dhe të na "
                "tregojnë çfarë bëhet me ankesat tona. Shpesh nuk marrim asnjë përgjigje.",
                None,
                PUBLISH,
                None,
            ),
            (
                "school-shops",
                Src.PAPER,
                Cat.DRUGS_ALCOHOL_YOUTH,
                "Elbasan",
                "Lagjja Luigj Gurakuqi",
                "Pranë shkollës së mesme \u201cKostandin Kristoforidhi\u201d u shiten cigare dhe "
                "alkool nxënësve të mitur. Dyqanet nuk u kërkojnë asnjë dokument.",
                None,
                PUBLISH,
                None,
            ),
            (
                "park-parent",
                Src.ONLINE,
                Cat.DRUGS_ALCOHOL_YOUTH,
                "Elbasan",
                "Lagjja 5 Maji",
                "Si prind jam i shqetësuar se djalit tim dhe shokëve të tij u ofrohet drogë në "
                "parkun e lagjes. Duhen orë edukative në shkolla për rreziqet e drogës dhe policia "
                "duhet të kalojë më shpesh në mbrëmje.",
                ("", "qytetar1@banore.example", ""),
                PUBLISH,
                None,
            ),
            (
                "park-evening",
                Src.ORAL,
                Cat.DRUGS_ALCOHOL_YOUTH,
                "Elbasan",
                "Lagjja 5 Maji",
                "Në parkun e lagjes 5 Maji u ofrohet drogë të rinjve, sidomos në mbrëmje pas orës 21:00.",
                None,
                MERGE,
                "park-parent",
            ),
            (
                "bar-minors",
                Src.ONLINE,
                Cat.DRUGS_ALCOHOL_YOUTH,
                "Elbasan",
                "Lagjja Qemal Stafa",
                "Në lokalin e Ilir Gjonit në rrugën \u201cQemal Stafa\u201d u shërbehet alkool të "
                "miturve deri vonë natën.",
                None,
                REDACT,
                "Në një lokal në rrugën \u201cQemal Stafa\u201d u shërbehet alkool të miturve deri "
                "vonë natën.",
            ),
            (
                "street-lights",
                Src.PAPER,
                Cat.OTHER,
                "Elbasan",
                "Lagjja Kristoforidhi",
                "Rrugët e brendshme të lagjes Kristoforidhi janë pa ndriçim pas orës 20:00. Gratë "
                "dhe vajzat kanë frikë të kthehen vetëm në shtëpi.",
                None,
                PUBLISH,
                None,
            ),
            (
                "bar-noise",
                Src.ORAL,
                Cat.OTHER,
                "Elbasan",
                "Lagjja Kala",
                "Lokalet pranë Kalasë mbajnë muzikë të lartë deri në orën 2 të natës dhe banorët "
                "nuk mund të flenë.",
                None,
                PUBLISH,
                None,
            ),
        ],
        "problems": [
            (
                "Përballja me dukurinë e \u201ckulturës së heshtjes\u201d nga institucionet e "
                "\u201ctrekëndëshit\u201d",
                ["silence-report", "silence-answers"],
                {
                    "description": (
                        "Aktivitetet e propozuara: rritja e komunikimit dhe transparencës së çdo "
                        "institucioni me qytetarët; takime periodike të institucioneve të "
                        "\u201ctrekëndëshit\u201d me OJF-të dhe grupet e interesit; rritja e "
                        "partneritetit të policisë me qytetarët. Afati: çdo 2 muaj."
                    ),
                    "intensity": Intensity.MODERATE,
                    "reasons": (
                        "Qytetarët nuk denoncojnë nga frika e ekspozimit dhe mungesa e përgjigjes "
                        "nga institucionet. Dukuria nuk shkakton drejtpërdrejt vepra penale, por "
                        "pengon zbulimin e tyre dhe dobëson besimin te policia."
                    ),
                    "institutions": TRIANGLE,
                    "outcome": Problem.Outcome.IN_PLAN,
                    "outcome_note": "Rreshti 1.2 i planit shumaktorial 2022",
                },
            ),
            (
                "Konsumi i lëndëve narkotike, alkoolit dhe duhanit nga të rinjtë",
                ["school-shops", "park-parent", "bar-minors"],
                {
                    "description": (
                        "Aktivitetet e propozuara: orë edukative ligjore nga prokuroria për të "
                        "rinjtë; përmirësimi i komunikimit midis policisë, shkollës, nxënësve dhe "
                        "prindërve; konsultimi me liderët e komuniteteve dhe grupet e interesit. "
                        "Afati: gjashtëmujori i parë."
                    ),
                    "intensity": Intensity.HIGH,
                    "reasons": (
                        "Shqetësimi u ngrit më shpesh se çdo tjetër, nga prindër, nxënës dhe "
                        "mësues. Prek të miturit dhe lidhet me shpërndarjen e drogës pranë "
                        "shkollave dhe në parqe."
                    ),
                    "statistics": (
                        "Gjatë vitit 2021 janë konstatuar 63 raste të prodhimit dhe shpërndarjes "
                        "së lëndëve narkotike, me 102 autorë."
                    ),
                    "statistics_source": POLICE_SOURCE,
                    "institutions": (*TRIANGLE, C.EDUCATION_OFFICE),
                    "outcome": Problem.Outcome.IN_PLAN,
                    "outcome_note": "Rreshti 1.4 i planit shumaktorial 2022",
                },
            ),
            (
                "Ndriçimi i dobët i rrugëve në lagjen Kristoforidhi",
                ["street-lights"],
                {
                    "intensity": Intensity.LOW,
                    "reasons": (
                        "Rrit ndjenjën e pasigurisë, sidomos te gratë, por zgjidhja është "
                        "investim në infrastrukturë dhe jo veprim i përbashkët i institucioneve "
                        "të KVSP-së."
                    ),
                    "outcome": Problem.Outcome.REFERRED,
                    "outcome_note": "Referuar Drejtorisë së Shërbimeve Publike të Bashkisë Elbasan",
                },
            ),
            (
                "Zhurmat nga lokalet natën",
                ["bar-noise"],
                {
                    "intensity": Intensity.LOW,
                    "reasons": "Shqetësim i qetësisë publike, pa rrezik për sigurinë e personave.",
                    "outcome": Problem.Outcome.NOT_TAKEN,
                    "outcome_note": (
                        "Nuk është problem i sigurisë publike për planin shumaktorial: ankesat "
                        "për zhurmat i trajton Policia Bashkiake sipas rregullores së bashkisë."
                    ),
                },
            ),
        ],
    },
    {
        "starts_at": datetime(2022, 1, 20, 17, 0),
        "title": "Takimi i hapur konsultativ në njësinë administrative Shushicë",
        "place": "Qendra Komunitare Shushicë",
        "unit": "Shushicë",
        "agenda": [
            "Dhuna në familje në njësitë administrative të bashkisë",
            "Zonat e \u201cnxehta\u201d të drogës dhe të krimit",
            "Bashkëpunimi i policisë me kryetarët e fshatrave dhe ndërlidhësit komunitarë",
            "Propozime për përditësimin e planit shumaktorial 2022",
        ],
        "participation": {
            G.VILLAGE_HEADS: (0, 6, 0),
            G.COMMUNITY_LIAISONS: (2, 2, 0),
            G.SCHOOLS_PARENTS: (6, 3, 0),
            G.STUDENT_GOVERNMENTS: (2, 2, 0),
            G.BUSINESSES: (0, 3, 0),
            G.CIVIL_SOCIETY: (4, 1, 0),
            G.RELIGIOUS: (0, 1, 0),
            G.MEDIA: (1, 1, 0),
            G.YOUTH: (3, 3, 0),
            G.LOCAL_INSTITUTIONS: (1, 2, 0),
            G.MINORITIES: (3, 1, 0),
            G.OTHER_CITIZENS: (7, 9, 0),
        },
        "summary": (
            "Në takim morën pjesë 56 veta, prej tyre 25 gra, kryesisht nga Shushica dhe fshatrat "
            "përreth, me kryetarët e fshatrave dhe ndërlidhësit komunitarë.\n\n"
            "U diskutua gjerësisht dhuna në familje: banorët thanë se shumë raste nuk raportohen, "
            "sepse gratë nuk dinë ku të drejtohen, dhe kërkuan numra kontakti dhe praninë e "
            "policisë në fshat. Shoqatat e grave kërkuan të përfshihen në konsultimet e bashkisë. "
            "Qytetarët treguan edhe zonat ku mblidhen përdorues dhe shpërndarës droge dhe kërkuan "
            "kamera vëzhgimi.\n\n"
            "Propozimet për përditësimin e prioriteteve 1.5 dhe 1.7 të planit do t'i paraqiten "
            "mbledhjes së KVSP-së të 3 shkurtit 2022."
        ),
        "follow_up": date(2022, 2, 3),
        "concerns": [
            (
                "dv-village",
                Src.ORAL,
                Cat.DOMESTIC_VIOLENCE,
                "Shushicë",
                "Shushicë",
                "Në fshat ka raste dhune në familje që nuk raportohen, sepse gratë nuk dinë ku të "
                "drejtohen. Duhet një numër kontakti dhe dikush nga policia që vjen rregullisht në "
                "fshat.",
                None,
                PUBLISH,
                None,
            ),
            (
                "dv-associations",
                Src.PAPER,
                Cat.DOMESTIC_VIOLENCE,
                "Gjergjan",
                "Gjergjan",
                "Bashkia duhet të takohet rregullisht me shoqatat e grave për dhunën në familje. "
                "Ato i njohin rastet më mirë se kushdo.",
                None,
                PUBLISH,
                None,
            ),
            (
                "dv-individual",
                Src.ONLINE,
                Cat.DOMESTIC_VIOLENCE,
                "Shushicë",
                "",
                "Fqinja ime, Drita, dhe dy fëmijët e saj rrihen nga burri pothuajse çdo javë. "
                "Fëmija i madh nuk shkon më në shkollë.",
                ("", "qytetar2@banore.example", ""),
                REJECT,
                "Ka të dhëna për një rast individual; i referohet Njësisë për Mbrojtjen e Fëmijëve.",
            ),
            (
                "hotspot-station",
                Src.ORAL,
                Cat.HOTSPOTS,
                "Elbasan",
                "Lagjja Rinia",
                "Pas stacionit të autobusëve dhe te ish-uzina e tullave mblidhen çdo mbrëmje "
                "persona që përdorin drogë. Zona nuk ka as ndriçim, as kamera.",
                None,
                PUBLISH,
                None,
            ),
            (
                "hotspot-blocks",
                Src.ONLINE,
                Cat.HOTSPOTS,
                "Elbasan",
                "Lagjja Brigada e Tetë",
                "Te pallatet e Brigadës së Tetë, në hyrjen ku banon Arjan Meta, shpërndahet drogë "
                "çdo natë pas orës 22:00.",
                None,
                REDACT,
                "Te pallatet e Brigadës së Tetë, në njërën nga hyrjet, shpërndahet drogë çdo natë "
                "pas orës 22:00.",
            ),
            (
                "hotspot-cameras",
                Src.PAPER,
                Cat.HOTSPOTS,
                "Elbasan",
                "Lagjja Kala",
                "Tregu i vjetër dhe rrugicat rreth Kalasë kanë nevojë për kamera vëzhgimi: aty "
                "ndodhin vjedhje dhe shitje droge, sidomos në fundjavë.",
                None,
                PUBLISH,
                None,
            ),
        ],
        "problems": [
            (
                "Dhuna në familje",
                ["dv-village", "dv-associations"],
                {
                    "description": (
                        "Aktivitetet e propozuara: konsultimi midis bashkisë dhe OJF-ve për "
                        "fushat prioritare; nxitja e partneritetit midis policisë dhe "
                        "ndërlidhësve komunitarë; krijimi i një databaze nga Drejtoria Vendore e "
                        "Policisë; vendosja e numrave të kontaktit me viktimat e dhunës dhe "
                        "përfaqësuesit e komisariatit. Afati: gjatë gjithë vitit. Përditësuar në "
                        "mbledhjen e KVSP-së të 3 shkurtit 2022."
                    ),
                    "intensity": Intensity.HIGH,
                    "reasons": (
                        "Rastet mbeten të shumta dhe shumë prej tyre nuk raportohen, sidomos në "
                        "zonat rurale, ku viktimat nuk kanë kontakt me policinë dhe shërbimet."
                    ),
                    "statistics": (
                        "Për vitin 2021 janë evidentuar 56 raste të dhunës në familje, 7 vepra "
                        "penale më pak se në 2020."
                    ),
                    "statistics_source": POLICE_SOURCE,
                    "institutions": (
                        *TRIANGLE,
                        "Shoqata e Grave të Elbasanit",
                        C.CHILD_PROTECTION,
                    ),
                    "outcome": Problem.Outcome.IN_PLAN,
                    "outcome_note": "Rreshti 1.5 i planit shumaktorial 2022",
                },
            ),
            (
                "Zonat e \u201cnxehta\u201d / hotspotet për përdoruesit dhe shpërndarësit e drogës "
                "apo të krimit",
                ["hotspot-station", "hotspot-blocks", "hotspot-cameras"],
                {
                    "description": (
                        "Aktivitetet e propozuara: identifikimi dhe publikimi i zonave të nxehta; "
                        "përmirësimi i sistemit të kamerave të vëzhgimit në qytet; evidentimi i "
                        "frekuentuesve të këtyre zonave dhe bashkëpunimi ndërinstitucional për të "
                        "ulur përfshirjen e tyre në grupe; ndjekja e vazhdueshme e lëvizjes së "
                        "zonave. Afati: gjashtëmujori i parë. Përditësuar në mbledhjen e KVSP-së "
                        "të 3 shkurtit 2022."
                    ),
                    "intensity": Intensity.HIGH,
                    "reasons": (
                        "Qytetarët treguan disa vende të qarta ku përdoret dhe shpërndahet drogë; "
                        "zonat lëvizin, nuk kanë kamera dhe frekuentohen nga të rinj."
                    ),
                    "institutions": (*TRIANGLE, "Qendra Rinore e Elbasanit"),
                    "outcome": Problem.Outcome.IN_PLAN,
                    "outcome_note": "Rreshti 1.7 i planit shumaktorial 2022",
                },
            ),
        ],
    },
]

UPCOMING = {
    "title": "Takimi i hapur konsultativ me qytetarët",
    "place": "Salla e Këshillit Bashkiak, Elbasan",
    "unit": "Elbasan",
    "agenda": [
        "Raporti gjashtëmujor i zbatimit të planit shumaktorial vendor",
        "Ecuria e prioriteteve 1.4 (droga te të rinjtë) dhe 1.5 (dhuna në familje)",
        "Shqetësimet e qytetarëve dhe propozimet për rishikimin e planit",
    ],
    "concerns": [
        (
            "school-crossing",
            Src.ONLINE,
            Cat.SCHOOL_SAFETY,
            "Elbasan",
            "Lagjja Skënderbej",
            "Para shkollës 9-vjeçare të lagjes nuk ka vijë për këmbësorë dhe makinat kalojnë me "
            "shpejtësi pikërisht kur dalin fëmijët nga mësimi.",
            ("", "qytetar3@banore.example", ""),
            RECEIVED,
            None,
        ),
        (
            "livestock-theft",
            Src.ONLINE,
            Cat.PROPERTY_CRIME,
            "Papër",
            "Papër",
            "Këtë dimër në Papër janë vjedhur disa krerë bagëti dhe vegla bujqësore. Patrulla e "
            "policisë kalon rrallë në fshat, sidomos natën.",
            ("Qytetar nga Papra", "", "069 000 0000"),
            RECEIVED,
            None,
        ),
        (
            "national-road",
            Src.ONLINE,
            Cat.TRAFFIC,
            "Bradashesh",
            "Bradashesh",
            "Në rrugën nacionale, te hyrja e Elbasanit nga Tirana, makinat ecin me shpejtësi të "
            "madhe dhe kanë ndodhur disa aksidente. Duhen sinjalistikë dhe kontrolle të "
            "shpejtësisë.",
            None,
            RECEIVED,
            None,
        ),
    ],
}

# In preparation, two weeks after the announced one: the technical secretary has sent its agenda
# to the SKN, whose agreement it waits for before it can be announced.
PREPARING = {
    "title": "Takimi i hapur konsultativ në Papër",
    "place": "Shkolla 9-vjeçare Papër",
    "unit": "Papër",
    "agenda": [
        "Vjedhjet e bagëtive dhe veglave bujqësore në fshatrat e Paprës",
        "Patrullimi i policisë në zonat rurale",
        "Shqetësimet e banorëve për sigurinë në rrugët e fshatit",
    ],
}
