"""gan_lessons: the helper package of the course "GANs from the minimax formula to finance".

Modules, by concept: ``config`` (profiles, seeds), ``theory`` (closed forms of the
game), ``losses``, ``models`` (builders), ``training`` (the ``GAN`` class),
``data``, ``metrics`` and ``plotting`` (the only one importing matplotlib).
Importing the package imports none of them, seeds nothing and changes no
plotting style: import what you use, e.g. ``from gan_lessons import losses``.
"""

__version__ = "0.1.0"
