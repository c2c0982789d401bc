"""gan_lessons: the helper package of the course "GANs from the minimax formula to finance".

Modules, by concept (a small core, then one subpackage per part of the course):

* ``config``: profiles, seeds, a description of the environment;
* ``theory``: closed forms of the game (optimal discriminator, JSD, C(G));
* ``losses``: minimax, non-saturating, least-squares and Wasserstein losses, the
  gradient penalty, named loss pairs;
* ``models``: MLP builders; ``noise``: latent noise and the truncation trick;
* ``training``: the ``GAN`` class; ``pipeline``: ``make_dataset``; ``callbacks``:
  per-step losses and sample snapshots;
* ``fit_checks``: what ``GAN`` refuses before training (networks that do not fit
  together, data that is empty, not finite or out of range);
* ``resume``: what a run saves to continue exactly after an interruption, the
  backup callback, saving and loading a GAN;
* ``toy``, ``files``: toy mixtures, shipped files with checksums;
* ``runs``: every trained run recorded, paired comparisons over seeds (wins, bootstrap
  interval) and a lesson's headline;
* ``sanity``: cheap checks that catch silent GAN bugs (gradients, value ranges, plot grids);
* ``plotting``: plots of the core (each subpackage has its own ``plotting``);
* ``images``, ``returns``, ``tables``, ``privacy``: the parts of the course, each
  with its data, builders, measures and baselines.

Importing the package imports none of them, seeds nothing and changes no plotting
style: import what you use, e.g. ``from gan_lessons import losses``.
"""

__version__ = "0.1.0"
