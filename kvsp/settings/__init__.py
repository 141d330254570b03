"""Settings package: ``base`` holds everything; ``dev``, ``test`` and ``production`` adjust it.

Every value that differs between machines comes from the environment (django-environ).
"""
