#!/usr/bin/env bash
# Prepares /tmp (the only writable path) and starts the upstream server script unchanged.
# HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME and HF_HOME point under /tmp (see the Dockerfile).
set -euo pipefail

image_home=/home/notebook-user

# The layout and table models were downloaded into the image's Hugging Face cache when the
# image was built. Link them into HF_HOME read-only; HF_HUB_OFFLINE=1 keeps the hub client
# from writing there or downloading anything.
mkdir -p "$(dirname "$HF_HOME")"
if [ ! -e "$HF_HOME" ] && [ -d "$image_home/.cache/huggingface" ]; then
  ln -s "$image_home/.cache/huggingface" "$HF_HOME"
fi

# LibreOffice (.doc, .ppt, .xls, .odt ... are converted with soffice) needs a writable user
# profile. Start from the one the image initialised at build time: a profile created on the
# spot makes the first conversion fail (Unstructured-IO/unstructured#3105).
if [ -d "$image_home/.config/libreoffice" ] && [ ! -e "$XDG_CONFIG_HOME/libreoffice" ]; then
  mkdir -p "$XDG_CONFIG_HOME"
  cp -R "$image_home/.config/libreoffice" "$XDG_CONFIG_HOME/"
fi

# app-start.sh runs uvicorn on $HOST:$PORT with $WORKERS workers and reads logger_config.yaml
# from the working directory.
cd "$image_home"
exec "$image_home/scripts/app-start.sh" "$@"
