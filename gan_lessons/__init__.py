"""gan_lessons: the helper package of the course "GANs from the minimax formula to finance".

Modules, by concept:

* ``config``: profiles, seeds, a description of the environment;
* ``theory``: closed forms of the game (optimal discriminator, JSD, C(G));
* ``losses``: minimax, non-saturating, least-squares and Wasserstein losses, the
  gradient penalty, named loss pairs;
* ``models``: builders (MLP, DCGAN, temporal convolutions, tabular heads);
* ``training``: the ``GAN`` class (and ``SequenceGAN``), snapshots, data pipelines;
* ``experiments``: the same GAN trained over seeds and methods, summarised;
* ``data``: toy mixtures, digits/MNIST, S&P 500 returns, shipped files with checksums;
* ``tabular``: the CTGAN-style encoder and conditional tabular sampling;
* ``metrics``, ``image_quality``, ``stylized_facts``, ``tabular_metrics``: measures of
  what a generator learned, for toy data, images, returns and tables;
* ``privacy``: DP-SGD training of the discriminator, its epsilon, membership-inference attacks;
* ``baselines``, ``tabular_baselines``: the classical models the GANs are judged against;
* ``sanity``: cheap checks that catch silent GAN bugs (gradients, value ranges, plot grids);
* ``plotting``: the only module importing matplotlib.

Importing the package imports none of them, seeds nothing and changes no plotting
style: import what you use, e.g. ``from gan_lessons import losses``.
"""

__version__ = "0.1.0"
