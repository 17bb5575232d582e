<#
.SYNOPSIS
  Installs the Backflow agent as a Windows service.
.DESCRIPTION
  Creates a data folder readable only by SYSTEM, Administrators and the service's virtual account, registers the
  service (automatic, delayed start) with recovery actions (restart after 1, 5 and 15 minutes), and sets its Event
  Log source. Run in an elevated PowerShell (Windows PowerShell 5.1 or PowerShell 7); running it again updates the
  service's paths. Enroll before or after with:
    & "$InstallDir\backflow-agent.exe" enroll --state "$DataDir" --server https://... --code XXXX-XXXX
.EXAMPLE
  .\install-agent.ps1 -InstallDir 'C:\Program Files\Backflow\agent' -DataDir 'C:\ProgramData\Backflow\agent'
#>
[CmdletBinding()]
param(
    [string]$InstallDir = 'C:\Program Files\Backflow\agent',
    [string]$DataDir = 'C:\ProgramData\Backflow\agent',
    [string]$ServiceName = 'BackflowAgent'
)
$ErrorActionPreference = 'Stop'

$exe = Join-Path $InstallDir 'backflow-agent.exe'
if (-not (Test-Path $exe)) { throw "backflow-agent.exe not found in '$InstallDir'; copy the published agent there first." }

# The service runs as its virtual account NT SERVICE\<name>: no password to manage, no rights beyond what we grant.
$account = "NT SERVICE\$ServiceName"

$binaryPath = "`"$exe`" run --state `"$DataDir`""
if (-not (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue)) {
    New-Service -Name $ServiceName -DisplayName 'Backflow Agent' `
        -Description 'Pulls, verifies and loads datasets returned by the provincial Backflow server.' `
        -BinaryPathName $binaryPath -StartupType Automatic | Out-Null
} else {
    # Re-running the script (an upgrade, another folder) must not leave the service pointing at the old paths.
    Write-Host "Service $ServiceName exists; setting its command to: $binaryPath"
    # Through CIM, not sc.exe: the embedded quotes survive in both PowerShell editions.
    $result = Get-CimInstance Win32_Service -Filter "Name='$ServiceName'" | Invoke-CimMethod -MethodName Change -Arguments @{ PathName = $binaryPath }
    if ($result.ReturnValue -ne 0) { throw "could not update the command of service $ServiceName (Win32_Service.Change returned $($result.ReturnValue))" }
}
& sc.exe config $ServiceName obj= $account start= delayed-auto | Out-Null
# Restart after 1, 5 and 15 minutes; reset the failure count after a day without failures.
& sc.exe failure $ServiceName reset= 86400 actions= restart/60000/restart/300000/restart/900000 | Out-Null
& sc.exe failureflag $ServiceName 1 | Out-Null

# Data folder: token, pinned keys, SQLite database. Inheritance off; only SYSTEM, Administrators and the service.
New-Item -ItemType Directory -Force -Path $DataDir | Out-Null
$acl = New-Object System.Security.AccessControl.DirectorySecurity
$acl.SetAccessRuleProtection($true, $false)
$inherit = [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
foreach ($who in @('NT AUTHORITY\SYSTEM', 'BUILTIN\Administrators', $account)) {
    $rule = New-Object System.Security.AccessControl.FileSystemAccessRule($who, 'FullControl', $inherit, 'None', 'Allow')
    $acl.AddAccessRule($rule)
}
Set-Acl -Path $DataDir -AclObject $acl

# The .NET call, not New-EventLog: that cmdlet exists only in Windows PowerShell 5.1, and under PowerShell 7 the script
# would stop here after the service was already registered.
if (-not [System.Diagnostics.EventLog]::SourceExists('Backflow Agent')) {
    [System.Diagnostics.EventLog]::CreateEventSource('Backflow Agent', 'Application')
}

Write-Host "Installed $ServiceName. Enroll with:"
Write-Host "  & `"$exe`" enroll --state `"$DataDir`" --server <url> --code <code>"
Write-Host "then: Start-Service $ServiceName ; & `"$exe`" status --state `"$DataDir`""
