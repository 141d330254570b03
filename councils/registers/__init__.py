"""The council's registers (issue 22 item 7): counts of referred cases, never a person, and the
cooperation agreements the council has signed. Part of the councils app: its models are imported
by councils/models.py, its permissions by councils/rules.py, its pages by councils/urls.py."""
