package org.rmonitor.proc;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/** Chooses, once per JVM, which {@link Scope} this runtime gets. */
final class Scopes {
  /** The feature release PreviewScope's class file is bound to: maven.compiler.release. */
  static final int PREVIEW_RELEASE = 25;

  private static final Constructor<? extends Scope> PREVIEW = previewConstructor();

  private Scopes() {}

  /** True when scopes are the preview {@code StructuredTaskScope}. */
  static boolean preview() {
    return PREVIEW != null;
  }

  static Scope open() {
    if (PREVIEW == null) return new PlainScope();
    try {
      return PREVIEW.newInstance();
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * PreviewScope's constructor, or null where that class cannot load: a class file compiled with
   * {@code --enable-preview} loads only on that very release, and only with preview features
   * enabled (else UnsupportedClassVersionError). Loaded by name, so that no other class file
   * depends on it and the rest of rmonitor runs on any later JDK.
   */
  private static Constructor<? extends Scope> previewConstructor() {
    if (Runtime.version().feature() != PREVIEW_RELEASE) return null;
    try {
      return Class.forName(Scopes.class.getPackageName() + ".PreviewScope")
          .asSubclass(Scope.class)
          .getDeclaredConstructor();
    } catch (UnsupportedClassVersionError | ReflectiveOperationException e) {
      return null; // preview features are off: the plain scope does the same job
    }
  }
}
