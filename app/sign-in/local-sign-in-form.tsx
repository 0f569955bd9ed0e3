import { signInLocally } from "@/app/sign-in/actions";

const field = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm";

export function LocalSignInForm({ redirectUrl }: { redirectUrl: string }) {
  return (
    <form action={signInLocally} className="mt-4 space-y-3">
      <input type="hidden" name="redirect_url" value={redirectUrl} />
      <label className="block text-sm font-medium">
        Sign in as (user id)
        <input name="user_id" required defaultValue="user_demo" pattern="[A-Za-z0-9_\-]{1,64}" className={field} />
      </label>
      <label className="block text-sm font-medium">
        Organization id (optional)
        <input name="org_id" pattern="[A-Za-z0-9_\-]{0,64}" className={field} />
      </label>
      <label className="block text-sm font-medium">
        Role in the organization
        <select name="role" defaultValue="admin" className={field}>
          <option value="admin">admin</option>
          <option value="member">member</option>
        </select>
      </label>
      <label className="block text-sm font-medium">
        Plan
        <select name="plan" defaultValue="team" className={field}>
          <option value="free">free</option>
          <option value="team">team</option>
          <option value="business">business</option>
        </select>
      </label>
      <button type="submit" className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
        Sign in
      </button>
    </form>
  );
}
