# The site's image: gunicorn serving Django, with static files collected
# (served by WhiteNoise), running as an unprivileged user. The same image runs
# the Celery worker and beat (see compose.yaml and Procfile).

# Stage 1: the CSS and GOV.UK Frontend's JavaScript, built with npm.
FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
RUN npm run build

# Stage 2: the application, without Node.js or build tools.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GUNICORN_BIND=0.0.0.0:8000 \
    MEDIA_ROOT=/app/media \
    HOME=/home/smp
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --require-hashes -r requirements.txt \
    && groupadd --system --gid 10001 smp \
    && useradd --system --uid 10001 --gid smp --create-home --home-dir /home/smp --shell /usr/sbin/nologin smp
COPY . .
COPY --from=assets /build/static/build static/build
# Collected as root into the image, read-only for the user the site runs as;
# only the media folder (used when no bucket is configured) and the user's
# home (HOME: gunicorn's control socket, ~/.gunicorn) are writable.
RUN python manage.py collectstatic --no-input --verbosity 0 \
    && mkdir -p /app/media && chown smp:smp /app/media
USER 10001:10001
EXPOSE 8000
# /healthz answers whatever the Host header (smp_site/health.py), so this
# passes with production settings, whose ALLOWED_HOSTS name the public host.
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["gunicorn", "smp_site.wsgi", "--config", "gunicorn.conf.py"]
