
  bulk:
    image: [=image]
    # The slot's host name: a bulk task that replaces another frees the packet it was sending
    # (Sympa takes another host's lock for stale only after 20 minutes).
    hostname: "bulk-{{.Task.Slot}}"
    environment:
      SYMPA_APPLIANCE_SERVICE: bulk
    volumes:
      - bulk-queue:/var/spool/postfix
      - sympa-data:/var/lib/sympa
      - sympa-spools:/var/spool/sympa
    secrets:
<@sympaSecrets/>    networks: [sympa]
<@sympaHealth/>
    stop_grace_period: 30s
    deploy:
      replicas: [=bulk]
      endpoint_mode: dnsrr
      update_config:
        parallelism: 1
        order: stop-first
<@resources "bulk"/>
