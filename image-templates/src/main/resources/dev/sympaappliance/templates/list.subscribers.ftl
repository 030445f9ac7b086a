<#list list.subscribers as subscriber>
[=subscriber]
</#list>
