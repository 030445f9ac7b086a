package dev.sympaappliance.e2e.support;

/**
 * An SMTP dialogue run inside a container with bash's /dev/tcp (the image has no nc): each command
 * and the reply's first line are printed as "COMMAND -> REPLY".
 */
public final class SmtpScript {
  private SmtpScript() {}

  public static String dialogue(String host, int port, String... commands) {
    StringBuilder script =
        new StringBuilder(
            "exec 3<>/dev/tcp/"
                + host
                + "/"
                + port
                + " && read -r -t 10 greeting <&3 && echo \"greeting -> ${greeting%$'\\r'}\"");
    for (String command : commands) {
      script
          .append(" && printf '%s\\r\\n' ")
          .append(Shell.quote(command))
          .append(" >&3")
          .append(" && read -r -t 10 reply <&3 && echo ")
          .append(Shell.quote(command + " -> "))
          .append("\"${reply%$'\\r'}\"");
    }
    return "bash -c " + Shell.quote(script.toString());
  }
}
