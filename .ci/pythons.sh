#!/usr/bin/env bash
# Install check on the oldest and the newest supported Python (pyproject.toml: >=3.10,<3.14).
#
# For each Python it builds a fresh virtual environment in a temporary directory, installs
# the course from a clean copy of this checkout with `pip install ".[test]"` (not editable,
# as Colab and a wheel install it), and runs a fast subset from a directory outside the
# checkout, so that Python imports the installed gan_lessons and not the checkout's:
# four unit-test files and lesson 02 under nbval, in the fast profile; on the last Python of
# the list also every numbered lesson, each copied alone into an empty folder (the
# "installed, not cloned" check: what a Colab user runs). ALONE=0 skips that part.
#
#   .ci/pythons.sh                       3.10 and 3.13
#   PYTHONS="3.12" .ci/pythons.sh        other versions
#   ALLOW_MISSING_PYTHON=1 .ci/pythons.sh   skip (with a message) a Python that is not installed
#   KEEP_TMP=1 .ci/pythons.sh            keep the temporary directories (venvs are about 2 GB each)
#
# Pythons are looked up under `pyenv root`/versions/X.Y.* (newest patch release), then as
# pythonX.Y on PATH. The first run downloads TensorFlow and friends (about 600 MB per
# Python); pip's cache makes later runs faster. Exit status: non-zero when a Python is
# missing (unless allowed) or any install or test fails.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
read -r -a VERSIONS <<< "${PYTHONS:-3.10 3.13}"
UNIT_TESTS=(tests/test_losses.py tests/test_theory.py tests/test_config.py tests/test_sanity.py)
NOTEBOOK=notebooks/02_first_gan.ipynb

find_python() {
    local version="$1" root candidate
    root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    candidate="$(ls -d "$root"/versions/"$version".*/bin/python 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$candidate" ]]; then
        candidate="$(command -v "python$version" || true)"
    fi
    # The name is not proof: ask the interpreter which version it is.
    if [[ -n "$candidate" ]] && "$candidate" -c "import sys; sys.exit(f'{sys.version_info[0]}.{sys.version_info[1]}' != '$version')"; then
        echo "$candidate"
    fi
}

# A copy of the checkout without .git, virtual environments and build leftovers: pip builds
# in the source tree, and a stale build/ would put modules that no longer exist into the wheel.
copy_checkout() {
    tar -C "$REPO" --exclude=./.git --exclude=./.venv --exclude=./build --exclude='*.egg-info' \
        --exclude='__pycache__' --exclude='.ipynb_checkpoints' --exclude=./.ruff_cache -cf - . | tar -C "$1" -xf -
}

check_python() {
    local version="$1" python="$2" work start
    work="$(mktemp -d "${TMPDIR:-/tmp}/gan-lessons-py$version.XXXXXX")"
    if [[ "${KEEP_TMP:-0}" != 1 ]]; then
        # Expanded now: the trap runs when the subshell exits, after this function's locals are gone.
        trap "rm -rf '$work'" EXIT
    fi
    mkdir "$work/src" "$work/run"
    copy_checkout "$work/src"

    start=$SECONDS
    "$python" -m venv "$work/venv"
    local venv_python="$work/venv/bin/python"
    "$venv_python" -m pip install --quiet --upgrade pip
    (cd "$work/src" && "$venv_python" -m pip install --quiet ".[test]")
    echo "[$version] installed in $((SECONDS - start)) s: $("$venv_python" -m pip list 2>/dev/null \
        | awk '$1 ~ /^(tensorflow|keras|numpy)$/ {printf "%s %s  ", $1, $2}')"

    # From an empty directory and with no PYTHONPATH, only the venv's site-packages holds gan_lessons.
    cd "$work/run"
    unset PYTHONPATH
    local location
    location="$("$venv_python" -c "import gan_lessons; print(gan_lessons.__file__)")"
    echo "[$version] gan_lessons imported from $location"
    if [[ "$location" != "$work/venv/"* ]]; then
        echo "[$version] FAIL: expected the installed gan_lessons (under $work/venv), got $location" >&2
        return 1
    fi

    # The notebook runs even when a unit test failed, so one run shows every failure.
    local unit_status=0 notebook_status=0
    start=$SECONDS
    GAN_LESSONS_FAST=1 "$venv_python" -m pytest -q -p no:cacheprovider --rootdir "$work/src" \
        "${UNIT_TESTS[@]/#/$work/src/}" || unit_status=$?
    echo "[$version] unit tests: exit status $unit_status in $((SECONDS - start)) s"

    start=$SECONDS
    GAN_LESSONS_FAST=1 "$venv_python" -m pytest -q -p no:cacheprovider --rootdir "$work/src" \
        "$work/src/$NOTEBOOK" --nbval-lax --nbval-current-env || notebook_status=$?
    echo "[$version] $NOTEBOOK under nbval: exit status $notebook_status in $((SECONDS - start)) s"

    # Installed, not cloned (as on Colab): on the last Python of the list, every numbered
    # lesson is copied alone into an empty folder and run there, so a lesson that reads a
    # file next to the checkout instead of the installed package fails here.
    local alone_status=0
    if [[ "$version" == "${VERSIONS[-1]}" && "${ALONE:-1}" == 1 ]]; then
        local lessons=()
        for lesson in "$work"/src/notebooks/[0-9][0-9]_*.ipynb; do
            mkdir -p "$work/alone/$(basename "$lesson" .ipynb)"
            cp "$lesson" "$work/alone/$(basename "$lesson" .ipynb)/"
            lessons+=("$work/alone/$(basename "$lesson" .ipynb)/$(basename "$lesson")")
        done
        start=$SECONDS
        GAN_LESSONS_FAST=1 GAN_LESSONS_QUIET=1 "$venv_python" -m pytest -q -p no:cacheprovider \
            --rootdir "$work/alone" "${lessons[@]}" --nbval-lax --nbval-current-env || alone_status=$?
        echo "[$version] ${#lessons[@]} lessons, each alone in an empty folder: exit status $alone_status in $((SECONDS - start)) s"
    fi
    [[ $unit_status == 0 && $notebook_status == 0 && $alone_status == 0 ]]
}

summary=()
failed=0
for version in "${VERSIONS[@]}"; do
    python="$(find_python "$version")"
    if [[ -z "$python" ]]; then
        if [[ "${ALLOW_MISSING_PYTHON:-0}" == 1 ]]; then
            summary+=("Python $version: SKIPPED, not installed (ALLOW_MISSING_PYTHON=1)")
            echo "pythons.sh: Python $version not found; skipped because ALLOW_MISSING_PYTHON=1" >&2
            continue
        fi
        echo "pythons.sh: Python $version not found (looked for $(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")/versions/$version.*/bin/python and python$version on PATH); install it or set ALLOW_MISSING_PYTHON=1" >&2
        exit 1
    fi
    echo "=== Python $version: $python"
    begin=$SECONDS
    # A subshell per Python: its cd, trap and `set -e` stay inside it, and one failing
    # Python does not stop the check of the next.
    set +e
    (set -e; check_python "$version" "$python")
    status=$?
    set -e
    if [[ $status == 0 ]]; then
        summary+=("Python $version ($python): OK in $((SECONDS - begin)) s")
    else
        summary+=("Python $version ($python): FAILED (exit status $status) after $((SECONDS - begin)) s")
        failed=1
    fi
done

printf '%s\n' "=== summary" "${summary[@]}"
exit "$failed"
