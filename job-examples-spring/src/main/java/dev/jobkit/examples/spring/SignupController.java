package dev.jobkit.examples.spring;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /signup/{name}}: signs a user up and answers with their welcome job's id. */
@RestController
public class SignupController {
  private final SignupService signups;

  /** Called by Spring. */
  public SignupController(SignupService signups) {
    this.signups = signups;
  }

  /** Signs {@code name} up. */
  @PostMapping("/signup/{name}")
  public String signUp(@PathVariable("name") String name) {
    return signups.signUp(name, false);
  }
}
