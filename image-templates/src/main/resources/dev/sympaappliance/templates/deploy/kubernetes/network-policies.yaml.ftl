---
# Only the relays reach the core's port 25 (it serves nothing else).
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: [=core]-smtp-from-relays
  labels:
<@labels "core"/>
spec:
  podSelector:
    matchLabels:
<@selector "core"/>
  policyTypes: ["Ingress"]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: sympa
              app.kubernetes.io/component: relay
      ports:
        - protocol: TCP
          port: 25
