"""The fault suite's figures in CI's log: a test that appends ``("fault figures", line)`` to its
``user_properties`` has the line listed at the end of the run, whether it passed or failed
(pytest-xdist shows no output of a passing test; the properties travel with its report)."""

FIGURES = "fault figures"


def pytest_terminal_summary(terminalreporter):
    lines = [
        value
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", "call") == "call"
        for name, value in getattr(report, "user_properties", [])
        if name == FIGURES
    ]
    if lines:
        terminalreporter.section(FIGURES)
        for line in lines:
            terminalreporter.write_line(line)
