# One image for every Lapor process; the command says which one runs.
#
#   docker build -t lapor .
#   docker run lapor nameko run --config services/routing/config.yaml \
#       services.routing.service:RoutingService
#   docker run lapor nameko run --config lapor/nameko/relay.yaml \
#       lapor.nameko.relay_service:RelayService
#   docker run lapor sh -c 'lapor migrate && lapor declare && python -m services.sipp.seed'
#   docker build --target kannel -t lapor-kannel .   # Kannel, for docker-compose
#
# Every setting comes from the environment (DATABASE_URL, AMQP_URI, ...): see
# each config.yaml and docker-compose.yml.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# -- build: compilers only here, in case a dependency has no wheel for this platform
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY lapor ./lapor
COPY services ./services
COPY deploy ./deploy
RUN /opt/venv/bin/pip install . && rm -rf build *.egg-info

# -- kannel: the SMS gateway (bearerbox, smsbox, fakesmsc) for docker-compose;
#    built only when asked for (`target: kannel`), never part of the Lapor image
FROM debian:bookworm-slim AS kannel
RUN apt-get update \
    && apt-get install -y --no-install-recommends kannel kannel-extras \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s /usr/lib/kannel/test/fakesmsc /usr/local/bin/fakesmsc \
    && mkdir -p /var/log/kannel /var/spool/kannel \
    && chown kannel /var/log/kannel /var/spool/kannel
USER kannel

# -- runtime: the virtualenv and the source (configs are read by relative path)
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONWARNINGS=ignore::Warning:nameko.cli.commands
RUN groupadd --system --gid 10001 lapor \
    && useradd --system --uid 10001 --gid lapor --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin lapor
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --from=build /src /app
USER lapor:lapor
# the gateway's port; every other service listens on its own (8101-8106)
EXPOSE 8000
CMD ["nameko", "run", "--config", "services/gateway/config.yaml", \
     "services.gateway.service:GatewayService"]
