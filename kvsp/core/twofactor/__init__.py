"""Two-factor authentication (django-otp): who must have it, enrolment, verification, backup codes,
the reset by a platform admin, and the middleware that sends people to it."""
