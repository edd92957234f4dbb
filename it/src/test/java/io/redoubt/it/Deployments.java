package io.redoubt.it;

import java.nio.file.Path;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/** The deployment every integration test uses: the EAR the build produced, unchanged. */
final class Deployments {

  static final String EAR_NAME = "redoubt.ear";
  static final String WAR_NAME = "redoubt-web.war";

  private Deployments() {}

  static EnterpriseArchive builtEar() {
    Path ear = Path.of(System.getProperty("redoubt.ear"));
    return ShrinkWrap.create(ZipImporter.class, EAR_NAME)
        .importFrom(ear.toFile())
        .as(EnterpriseArchive.class);
  }
}
