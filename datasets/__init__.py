"""Data files shipped with the course, installed as the package ``gan_lessons.datasets``.

Read them through :mod:`gan_lessons.files`, which verifies each file against
``SHA256SUMS`` before it is used; ``README.md`` gives each file's source and licence.
"""
