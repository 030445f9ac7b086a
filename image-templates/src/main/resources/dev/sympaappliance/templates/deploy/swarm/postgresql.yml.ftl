<#if postgresqlImage??>

  [=dbHost]:
    image: [=postgresqlImage]
    environment:
      POSTGRES_DB: [=dbName]
      POSTGRES_USER: [=dbUser]
      POSTGRES_PASSWORD_FILE: /run/secrets/[=dbPasswordSecret]
    volumes:
      - postgresql-data:/var/lib/postgresql/data
    secrets:
      - source: [=dbPasswordSecret]
        target: [=dbPasswordSecret]
        mode: 0400
    networks: [sympa]
    stop_signal: SIGINT
    stop_grace_period: 60s
    deploy:
      replicas: 1
      endpoint_mode: dnsrr
<@resources "postgresql"/>
</#if>
