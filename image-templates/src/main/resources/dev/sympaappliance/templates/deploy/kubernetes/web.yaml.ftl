<#if web != "0">
---
# The web interface: nginx and WWSympa, [=web] replica<#if web != "1">s</#if>, behind your TLS proxy or Ingress.
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
<@labels "web"/>
spec:
  selector:
<@selector "web"/>
  ports:
    - name: http
      port: [=httpPort]
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
<@labels "web"/>
spec:
  replicas: [=web]
  selector:
    matchLabels:
<@selector "web"/>
  template:
    metadata:
      labels:
<@podLabels "web"/>
    spec:
      terminationGracePeriodSeconds: 40
      containers:
<@sympaContainer "web"/>
      volumes:
<@sympaVolumes true/>
</#if>
