<#if web != "0">

  web:
    image: [=image]
    environment:
      SYMPA_APPLIANCE_SERVICE: web
    ports:
      - target: 80
        published: [=httpPort]
        protocol: tcp
        mode: host
    volumes:
      - web-queue:/var/spool/postfix
      - sympa-data:/var/lib/sympa
      - sympa-spools:/var/spool/sympa
    secrets:
<@sympaSecrets/>    networks: [sympa]
<@sympaHealth/>
    stop_grace_period: 30s
    deploy:
      replicas: [=web]
      endpoint_mode: dnsrr
      placement:
        max_replicas_per_node: 1
      update_config:
        parallelism: 1
        order: stop-first
<@resources "web"/>
</#if>
