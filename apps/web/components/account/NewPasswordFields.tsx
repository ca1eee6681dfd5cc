// The "new password" and "again" fields shared by the invitation and password-change forms,
// so the bounds (better-auth's minPasswordLength and its default maximum) live in one place.
const MIN_LENGTH = 8;
const MAX_LENGTH = 128;

const inputClass = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2";

export function NewPasswordFields({
  name,
  label,
  helpId,
  helpClassName,
}: {
  name: string;
  label: string;
  helpId: string;
  helpClassName: string;
}) {
  return (
    <>
      <label className="block text-sm font-medium">
        {label}
        <input
          name={name}
          aria-describedby={helpId}
          type="password"
          required
          minLength={MIN_LENGTH}
          maxLength={MAX_LENGTH}
          autoComplete="new-password"
          className={inputClass}
        />
      </label>
      <p id={helpId} className={helpClassName}>
        At least {MIN_LENGTH} characters.
      </p>
      <label className="block text-sm font-medium">
        {label} again
        <input
          name="confirm"
          type="password"
          required
          minLength={MIN_LENGTH}
          maxLength={MAX_LENGTH}
          autoComplete="new-password"
          className={inputClass}
        />
      </label>
    </>
  );
}
