
  [=core]:
    image: [=image]
    # A fixed host name: a core that replaces another frees the spool locks its predecessor left.
    hostname: [=core]
    environment:
      SYMPA_APPLIANCE_SERVICE: core
    volumes:
      - core-queue:/var/spool/postfix
      - sympa-data:/var/lib/sympa
      - sympa-spools:/var/spool/sympa
    secrets:
<@sympaSecrets/>    networks: [mx, sympa]
<@sympaHealth/>
    stop_grace_period: 30s
    deploy:
      # Exactly one: the core holds a lock on the shared volumes, so a second one would not start.
      replicas: 1
      endpoint_mode: dnsrr
      update_config:
        order: stop-first
<@resources "core"/>
