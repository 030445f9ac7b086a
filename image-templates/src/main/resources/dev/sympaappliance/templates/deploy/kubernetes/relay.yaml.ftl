---
# The public MX: [=relays] front relays behind one load balancer that keeps the client's address.
apiVersion: v1
kind: Service
metadata:
  name: relay
  labels:
<@labels "relay"/>
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
<@selector "relay"/>
  ports:
    - name: smtp
      port: [=smtpPort]
      targetPort: smtp
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: relay
  labels:
<@labels "relay"/>
spec:
  replicas: [=relays]
  selector:
    matchLabels:
<@selector "relay"/>
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
<@podLabels "relay"/>
    spec:
      terminationGracePeriodSeconds: 40
      containers:
        - name: relay
          image: [=relayImage]
          imagePullPolicy: IfNotPresent
          ports:
            - name: smtp
              containerPort: 25
          readinessProbe:
            tcpSocket:
              port: smtp
            periodSeconds: 5
          livenessProbe:
            exec:
              command: ["postfix", "status"]
            periodSeconds: 20
            failureThreshold: 3
<@drain/>
          volumeMounts:
            - name: queue
              mountPath: /var/spool/postfix
<#list relaySecrets as secret>
            - name: [=secret.name]
              mountPath: [=secret.path]
              subPath: [=secret.file]
              readOnly: true
</#list>
<@resources "relay"/>
      volumes:
        - name: queue
          emptyDir: {}
<#list relaySecrets as secret>
        - name: [=secret.name]
          secret:
            secretName: [=secret.name]
            defaultMode: 0400
            items:
              - key: value
                path: [=secret.file]
</#list>
