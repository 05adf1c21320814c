import { Matches } from 'class-validator';

/** A text field that must hold something besides whitespace (class-validator; BAD_USER_INPUT). */
export const NotBlank = () => Matches(/\S/, { message: ({ property }) => `${property} must not be blank` });
