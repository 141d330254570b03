"""The annual report of a council (issue 24, item 1): drafted from the year's recorded facts
(data.py), written and submitted by the SKN, returned or approved by the chair (services.py); the
approval freezes it with its PDF and SHA-256 and publishes it at /<municipality>/reports/<year>/."""
