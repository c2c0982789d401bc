# A tiny GAN for 8x8 images of bars, written the way many blog posts are.
# Lesson 10 (notebooks/10_debugging_gans.ipynb) debugs it; gan_from_a_blog_fixed.py is the result.
import numpy as np
import tensorflow as tf
import keras
import matplotlib.pyplot as plt

LATENT = 16
noise_source = keras.random.SeedGenerator(0)

def load_images(n, seed=0):
    """n grey 8x8 images, one bright bar each, as bytes 0..255 like a PNG file holds."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 40, size=(n, 8, 8)).astype(np.uint8)  # dark, noisy background
    for image, where, brightness in zip(images, rng.integers(0, 16, n), rng.integers(200, 256, n)):
        if where < 8:
            image[where, :] = brightness  # horizontal bar
        else:
            image[:, where - 8] = brightness  # vertical bar
    return images.reshape(n, 64)

def build_generator():
    z = keras.Input((LATENT,))
    h = keras.layers.Dense(256, activation="relu")(z)
    h = keras.layers.Dense(256, activation="relu")(h)
    x = keras.layers.Dense(64, activation="tanh")(h)
    return keras.Model(z, x, name="generator")

def build_discriminator():
    x = keras.Input((64,))
    h = keras.layers.Dense(256, activation="leaky_relu")(x)
    h = keras.layers.Dense(256, activation="leaky_relu")(h)
    logit = keras.layers.Dense(1)(h)  # D(x) = sigmoid(logit), the probability that x is real
    return keras.Model(x, logit, name="discriminator")

generator, discriminator = build_generator(), build_discriminator()
d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)

def d_loss_fn(real, z):
    # -log sigmoid(t) = softplus(-t) and -log(1 - sigmoid(t)) = softplus(t), finite for any logit t.
    return tf.reduce_mean(tf.nn.softplus(-discriminator(real))) + tf.reduce_mean(tf.nn.softplus(discriminator(generator(z))))

def g_loss_fn(z):
    return tf.reduce_mean(tf.nn.softplus(-discriminator(generator(z))))

def train_step(real):
    d_vars, g_vars = discriminator.trainable_variables, generator.trainable_variables
    with tf.GradientTape() as tape:
        d_loss = d_loss_fn(real, keras.random.normal((len(real), LATENT), seed=noise_source))
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
    with tf.GradientTape() as tape:
        g_loss = g_loss_fn(keras.random.normal((len(real), LATENT), seed=noise_source))
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
    return d_loss, g_loss

def train(images, steps, batch_size=64):
    rng = np.random.default_rng(1)
    for step in range(steps):
        d_loss, g_loss = train_step(images[rng.integers(0, len(images), batch_size)])
        if step % 500 == 0:
            print(f"step {step}: d_loss {float(d_loss):.3f}, g_loss {float(g_loss):.3f}")

def show_samples(n=64):
    images = keras.ops.convert_to_numpy(generator(keras.random.normal((n, LATENT), seed=1)))
    rows = int(np.sqrt(n))
    fig, axes = plt.subplots(rows, n // rows, figsize=(4, 4))
    for ax, image in zip(axes.flat, images):
        ax.imshow(image.reshape(8, 8), cmap="gray")
        ax.axis("off")
    return fig

if __name__ == "__main__":
    train(load_images(4096) / 127.5 - 1, steps=3000)  # bytes 0..255 onto tanh's range [-1, 1]
    show_samples()
    plt.show()
