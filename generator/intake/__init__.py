"""Intake: stories come in from where curators find them (``ssg new --from``,
``ssg import``) and their originals are kept (``ssg archive``). Tools beside
the build pipeline: they write story files into ``content/``, which the
next build reads like any other. ``docs/intake.md`` says what each reads."""
