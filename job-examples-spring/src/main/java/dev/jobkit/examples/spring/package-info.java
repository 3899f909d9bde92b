/**
 * A Spring Boot application with jobkit-spring-boot-starter: {@link
 * dev.jobkit.examples.spring.WelcomeJob} uses the application's {@link
 * dev.jobkit.examples.spring.Greetings} bean, {@link dev.jobkit.examples.spring.SignupService}
 * dispatches it inside a {@code @Transactional} method, and {@link
 * dev.jobkit.examples.spring.StepsJob} shows a job resumed after a restart.
 */
package dev.jobkit.examples.spring;
