"""Who the Elbasan demo plans serve (plans/demo.py; plans/groups.py): domestic violence women and
girls and children, the schools children and youth, the community leaders and liaisons Roma and
Egyptians; and the indicator whose values are given by sex."""

# By row number (Table 1's): the row's groups.
ROW_GROUPS = {"1.4": ["children", "youth"], "1.5": ["women_girls", "children"], "1.7": ["youth"]}
# By activity text: the activity's own groups (the others name none).
ACTIVITY_GROUPS = {
    "Zhvillimi i orëve edukative ligjore nga Prokuroria për të rinjtë.": ["children", "youth"],
    "Përmirësimi i komunikimit dhe bashkëpunimit midis policisë, shkollës, nxënësve dhe prindërve.": [
        "children"
    ],
    "Konsultimi me liderët e komuniteteve, dhe grupet e interesit.": ["roma_egyptians"],
    "Konsultimi midis bashkisë dhe OJF-ve për të identifikuar problematikat/fushat prioritare.": [
        "women_girls"
    ],
    "Nxitja e partneritetit midis policisë dhe strukturave komunitare/ ndërlidhësit komunitar.": [
        "roma_egyptians"
    ],
    "Vendosja e numrave të kontaktit me viktimat e dhunës dhe përfaqësues të Komisariatit të Policisë.": [
        "women_girls",
        "children",
    ],
    "Evidentimi individual i frekuentuesve të këtyre zonave dhe bashkëpunimi ndërinstitucional për "
    "të ulur intensitetin e përfshirjes individuale në grupe.": ["youth"],
}
# Indicators whose values are given for girls ("f") and for boys ("m").
SPLIT_BY_SEX = {"Nxënës që ndoqën orët edukative"}
